"""The thin slice end to end: a consultant sets up, a respondent answers, results show."""

import re

import pytest
from django.core import mail

from core.models import Organisation
from scan import services
from scan.models import Answer, Respondent, ScanRound
from scan.services import AnswerInput
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def answer_current_step(page, level: str = "3") -> None:
    """Choose a level for every statement on the page and continue."""
    for group in page.locator("fieldset.statement").all():
        group.locator(f"input[type=radio][value='{level}']").check()
    page.get_by_role("button", name=re.compile("Opslaan en verder|Save and continue")).click()


def test_consultant_to_respondent_to_results(live_server, new_page, version, settings):
    settings.KLANTRAAT_BASE_URL = live_server.url
    consultant = factories.UserFactory(
        email="adviseur@example.org", is_staff=True, is_superuser=True
    )
    page = new_page()
    login(page, live_server, consultant.email, factories.PASSWORD)

    # The organisation is created in the CMS; its creator becomes its consultant.
    page.goto(f"{live_server.url}/cms/snippets/core/organisation/add/")
    page.fill("#id_name", "Woonstichting Testdorp")
    page.fill("#id_slug", "testdorp")
    page.fill("#id_city", "Testdorp")
    page.get_by_role("button", name=re.compile(r"^(Opslaan|Save)$")).click()
    page.wait_for_url(re.compile(r".*/cms/snippets/core/organisation/"))
    organisation = Organisation.objects.get(slug="testdorp")

    # A round, from the organisation's workspace.
    page.goto(f"{live_server.url}/org/testdorp/rounds/new/")
    page.fill("#id_title", "Nulmeting 2026")
    page.fill("#id_period", "voorjaar 2026")
    page.select_option("#id_model_version", str(version.pk))
    page.fill("#id_min_group_size", "3")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/org/testdorp/rounds/\d+/$"))
    scan_round = ScanRound.objects.get(organisation=organisation)

    # Open it, then add a respondent: the invitation goes out at once.
    page.get_by_role("button", name=re.compile("Ronde openen|Open round")).click()
    page.locator(".confirm").get_by_role(
        "button", name=re.compile("Ronde openen|Open round")
    ).click()
    page.wait_for_selector(".message-success")
    page.fill("#id_email", "medewerker@testdorp.nl")
    page.select_option("#id_group", str(scan_round.groups.get(kind="staff").pk))
    page.get_by_role("button", name=re.compile("^(Toevoegen|Add)$")).click()
    page.wait_for_selector(".message-success")
    assert [m.to for m in mail.outbox] == [["medewerker@testdorp.nl"]]
    link = re.search(r"https?://\S+/r/\S+/", mail.outbox[0].body).group(0)

    # The respondent answers in a fresh browser on a phone.
    phone = new_page(width=375, height=740)
    phone.goto(link)
    phone.get_by_role("button", name=re.compile("^(Start|Beginnen)$")).click()
    while "/closing/" not in phone.url:
        answer_current_step(phone)
    phone.get_by_label(re.compile("ingevuld|answered all")).check()
    phone.get_by_role("button", name=re.compile("Verstuur|Submit")).click()
    phone.wait_for_url("**/done/")
    respondent = Respondent.objects.get(email="medewerker@testdorp.nl")
    assert respondent.submitted_at is not None
    assert Answer.objects.filter(respondent=respondent).count() == 5

    # Two more respondents answered elsewhere, so the group reaches the threshold of 3.
    for email in ("b@testdorp.nl", "c@testdorp.nl"):
        other = factories.respondent(scan_round, kind="staff", email=email)
        services.answers_save(
            respondent=other,
            answers=[AnswerInput(c, 4) for c in ("KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1")],
        )
        services.respondent_submit(other)

    # While the round is open its results page has counts, no figures; closing publishes them.
    page.goto(f"{live_server.url}/org/testdorp/rounds/{scan_round.pk}/results/")
    assert page.locator("#results-unreleased").count() == 1
    page.goto(f"{live_server.url}/org/testdorp/rounds/{scan_round.pk}/")
    close = re.compile("Ronde sluiten|Close round")
    page.get_by_role("button", name=close).click()
    page.locator(".confirm").get_by_role("button", name=close).click()
    page.wait_for_selector(".message-success")
    page.goto(f"{live_server.url}/org/testdorp/rounds/{scan_round.pk}/results/")
    page.wait_for_selector("#honeycomb-chart .main-svg")
    assert page.locator("script[src$='vendor/plotly.min.js']").count() == 1
    table = page.locator("table.results-table")
    assert "3,7" in table.inner_text() or "3.7" in table.inner_text()
