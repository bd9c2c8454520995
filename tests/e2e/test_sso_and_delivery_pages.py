"""The login page with an organisation account and a respondent list with mails that did not
arrive: axe-core (WCAG 2.2 AA) at 1280 and 375 px, in Dutch and English. With
KLANTRAAT_SCREENSHOTS=<folder> set, the pages are also saved there (docs/screenshots/)."""

import os
from pathlib import Path

import pytest

from core.models import Delivery, OutgoingMail, Role
from core.outbox.delivery import DeliveryReport, mail_delivery_record
from scan import services
from sso.models import IdentityProvider
from tests import factories

from .conftest import login
from .test_accessibility import violations

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("KLANTRAAT_SCREENSHOTS", "")
SIZES = ((1280, 900), (375, 800))


def shoot(page, name: str, selector: str = "") -> None:
    if not SHOTS:
        return
    path = str(Path(SHOTS) / f"{name}.png")
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)


@pytest.fixture
def linde(version):
    linde = factories.OrganisationFactory(name="Woonstichting De Linde", slug="linde")
    IdentityProvider.objects.create(
        organisation=linde,
        issuer="https://login.microsoftonline.com/0b9f-tenant/v2.0",
        client_id="client",
        secret_variable="KLANTRAAT_OIDC_SECRET_LINDE",
        email_domains="delinde.nl",
    )
    return linde


@pytest.fixture
def bounced(linde, version, django_capture_on_commit_callbacks):
    scan_round = factories.scan_round(linde, version=version, title="Nulmeting 2026")
    people = [
        ("a.jansen@delinde.nl", "Anja Jansen", "Klantcontact", None),
        ("b.devries@delinde.nl", "Bram de Vries", "Wonen", Delivery.DELIVERED),
        ("c.bakker@delinde.nl", "Chris Bakker", "Vastgoed", Delivery.HARD_BOUNCE),
        ("d.visser@dlinde.nl", "Dewi Visser", "Wonen", Delivery.HARD_BOUNCE),
        ("e.smit@delinde.nl", "Eva Smit", "Klantcontact", Delivery.SOFT_BOUNCE),
    ]
    for email, name, department, _ in people:
        factories.respondent(scan_round, email=email, name=name, department=department)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_queue(scan_round=scan_round)
    reasons = {
        Delivery.DELIVERED: "250 OK",
        Delivery.HARD_BOUNCE: "550 5.1.1 The email account that you tried to reach does not exist",
        Delivery.SOFT_BOUNCE: "452 4.2.2 The email account that you tried to reach is over quota",
    }
    for email, _name, _dep, delivery in people:
        if delivery is None:
            continue
        mail = OutgoingMail.objects.get(respondent_mail__respondent__email=email)
        mail.provider_message_id = f"<{mail.pk}@mg.example.org>"
        mail.save()
        mail_delivery_record(
            DeliveryReport(
                message_id=mail.provider_message_id,
                delivery=delivery,
                reason=reasons[delivery],
                recipient=email,
            )
        )
    return scan_round


@pytest.mark.parametrize("size", SIZES)
def test_login_page_with_an_organisation_account(live_server, new_page, linde, size):
    problems = []
    for language, prefix in (("nl", ""), ("en", "/en")):
        page = new_page(width=size[0], height=size[1])
        page.goto(f"{live_server.url}{prefix}/login/")
        assert page.locator("#sso-email").is_visible()
        if found := violations(page):
            problems.append(f"{size} {language}: {found}")
        shoot(page, f"login-sso-{language}-{size[0]}")
    assert problems == []


@pytest.mark.parametrize("size", SIZES)
def test_respondent_list_with_mails_that_did_not_arrive(live_server, new_page, bounced, size):
    coordinator = factories.member(bounced.organisation, Role.COORDINATOR)
    problems = []
    for language, prefix in (("nl", ""), ("en", "/en")):
        page = new_page(width=size[0], height=size[1])
        login(page, live_server, coordinator.email, factories.PASSWORD)
        page.goto(f"{live_server.url}{prefix}/org/linde/rounds/{bounced.pk}/")
        row = page.locator("tr", has_text="c.bakker@delinde.nl")
        label = "Niet bezorgd" if language == "nl" else "Not delivered"
        assert label in row.inner_text() and "does not exist" in row.inner_text()
        outbox = page.locator("#outbox").inner_text()
        assert ("3 mails niet bezorgd" if language == "nl" else "3 mails not delivered") in outbox
        assert "550 5.1.1" in outbox
        if found := violations(page):
            problems.append(f"{size} {language}: {found}")
        # On a phone the table scrolls sideways: show the status column.
        page.locator("#respondents-list .table-scroll").evaluate(
            "el => { el.scrollLeft = el.querySelector('td:nth-child(6)').offsetLeft - 8; }"
        )
        shoot(page, f"respondents-bounce-{language}-{size[0]}", "#respondents-list")
        shoot(page, f"outbox-bounce-{language}-{size[0]}", "#outbox")
    assert problems == []
