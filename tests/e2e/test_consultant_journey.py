"""A consultant's week without workarounds: a new client started in the app, its coordinator
invited, an HR export with title rows imported with names intact, the coordinator asking for
the round to be opened, the consultant changing the dates and opening it, and a tenant's
call-back that reaches the coordinator by mail and is closed with an outcome.

With KLANTRAAT_SCREENSHOTS=1 the new pages are written to docs/screenshots/ at 1280 and
375 px."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from core.models import AuditEvent, Organisation
from pulse import services as pulse_services
from pulse.models import CallBack
from pulse.sms import LocmemSmsBackend
from scan.models import RoundStatus, ScanRound
from tests import factories
from tests.fixtures.hr_exports import EXPECTED, hr_xlsx

from .conftest import login
from .test_pulse import _this_month as repairs_this_month

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page, name: str) -> None:
    """Both widths of the page as it is now (only when asked for: it takes a while)."""
    if not os.environ.get("KLANTRAAT_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width, suffix in ((1280, ""), (375, "-phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=True)
    page.set_viewport_size(size)


def test_consultant_starts_a_client_and_opens_its_first_round(
    live_server, new_page, version, settings, tmp_path
):
    settings.KLANTRAAT_BASE_URL = live_server.url
    LocmemSmsBackend.outbox.clear()
    consultant = factories.UserFactory(email="adviseur@advies.example", is_staff=True)
    page = new_page()
    login(page, live_server, consultant.email, factories.PASSWORD)

    # A new client, from "Mijn organisaties"; the short name fills itself in.
    page.get_by_role("link", name="Nieuwe organisatie").click()
    page.wait_for_url("**/organisations/new/")
    page.wait_for_load_state()  # the short-name script runs once the page has loaded
    page.fill("#id_name", "Woonstichting Het Anker")
    assert page.input_value("#id_slug") == "woonstichting-het-anker"
    page.fill("#id_reply_to", "coordinatie@hetanker.example")
    shoot(page, "organisation-new")
    page.get_by_role("button", name="Organisatie aanmaken").click()
    page.wait_for_url("**/org/woonstichting-het-anker/#invite")
    organisation = Organisation.objects.get(slug="woonstichting-het-anker")
    assert organisation.reply_to == "coordinatie@hetanker.example"

    # Its coordinator is invited from the organisation's page.
    people = page.locator("#people")
    people.get_by_label("Naam").fill("Carla de Vries")
    people.get_by_label("E-mailadres").fill("carla@hetanker.example")
    people.locator("#id_invite-role").select_option("coordinator")
    people.get_by_role("button", name="Uitnodigen").click()
    page.wait_for_selector(".message-success")
    welcome = re.search(r"http\S+/welcome/\S+/", mail.outbox[-1].body).group(0)

    # The consultant sets up the first round (a draft).
    page.goto(f"{live_server.url}/org/{organisation.slug}/rounds/new/")
    page.fill("#id_title", "Nulmeting 2027")
    page.fill("#id_period", "voorjaar 2027")
    page.select_option("#id_model_version", str(version.pk))
    page.fill("#id_min_group_size", "3")
    page.locator("main form:not(.copy-choice) button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/rounds/\d+/$"))
    scan_round = ScanRound.objects.get(organisation=organisation)
    assert scan_round.status == RoundStatus.DRAFT

    # The coordinator chooses a password and imports the HR export with its title rows.
    coordinator = new_page()
    coordinator.goto(welcome)
    coordinator.fill("#id_new_password1", "Vl1nder-Zomer-42")
    coordinator.fill("#id_new_password2", "Vl1nder-Zomer-42")
    coordinator.get_by_role("button", name="Wachtwoord opslaan").click()
    coordinator.wait_for_url(f"**/org/{organisation.slug}/")
    coordinator.get_by_role("link", name="Nulmeting 2027").click()
    export = tmp_path / "AFAS medewerkers.xlsx"
    export.write_bytes(hr_xlsx())
    coordinator.set_input_files("#id_file", str(export))
    coordinator.get_by_role("button", name="Importeren").click()
    preview = coordinator.locator("table.import-preview")
    for name, email, _kind in EXPECTED:
        assert preview.get_by_text(name, exact=True).count() == 1
        assert preview.get_by_text(email, exact=True).count() == 1
    groups = coordinator.locator("table.import-groups")
    assert groups.get_by_text("Bestuur / MT", exact=True).count() == 1
    shoot(coordinator, "import-preview-hr-export")
    coordinator.get_by_role("button", name=re.compile(r"5 respondenten importeren")).click()
    coordinator.wait_for_selector(".message-success")
    imported = sorted(
        (r.name, r.email, r.group.kind) for r in scan_round.respondents.select_related("group")
    )
    assert imported == EXPECTED

    # A draft cannot send mail: the coordinator asks the consultant to open the round.
    assert coordinator.locator("#id_bulk_action option[value=invite]").count() == 0
    sent = len(mail.outbox)
    coordinator.get_by_role("button", name="Vraag de adviseur de ronde te openen").click()
    coordinator.wait_for_selector(".message-success")
    [ask] = mail.outbox[sent:]
    assert ask.to == [consultant.email] and "Nulmeting 2027" in ask.body
    link = re.search(r"http\S+/rounds/\d+/", ask.body).group(0)

    # The consultant follows the mail, moves the dates and opens the round.
    page.goto(link)
    page.get_by_role("link", name="Gegevens wijzigen").click()
    today = timezone.localdate()
    closes = today + dt.timedelta(days=14)
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", closes.isoformat())
    shoot(page, "round-edit")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector(".message-success")
    page.get_by_role("button", name="Ronde openen").click()
    page.locator(".confirm").get_by_role("button", name="Ronde openen").click()
    page.wait_for_selector(".message-success")
    scan_round.refresh_from_db()
    assert scan_round.status == RoundStatus.OPEN
    assert (scan_round.opens_on, scan_round.closes_on) == (today, closes)
    assert AuditEvent.objects.filter(kind="round_edited", actor=consultant).exists()
    shoot(page, "round-opened")

    # The new client starts its tenant pulse; a tenant asks to be called back.
    pulse_services.moments_install_defaults(organisation=organisation)
    coordinator.goto(f"{live_server.url}/org/{organisation.slug}/pulse/")
    coordinator.get_by_role("link", name="Klantmomenten uploaden").click()
    coordinator.set_input_files("#id_file", str(repairs_this_month(tmp_path)))
    coordinator.get_by_role("button", name="Uploaden").click()
    coordinator.wait_for_selector(".message-success")
    pulse_services.invitations_send_due(now=timezone.now())
    [sms] = [m for m in LocmemSmsBackend.outbox if m["to"] == "0612345678"]
    tenant = new_page(width=375, height=740)
    tenant.goto(re.search(r"https?://\S+", sms["text"]).group(0))
    tenant.locator("label.grade-option", has=tenant.locator("input[value='4']")).click()
    tenant.locator(
        "label.choice-option", has=tenant.locator("input[name=driver_eerste_keer_goed][value=no]")
    ).click()
    tenant.fill("textarea", "De lekkage kwam na een week terug.")
    tenant.check("input[name=call_back]")
    tenant.get_by_role("button", name="Verstuur mijn antwoorden").click()
    tenant.get_by_role("heading", name="Bedankt voor je antwoorden").wait_for()

    # The call-back reaches the handler by mail, who follows it and closes it with an outcome.
    [notice] = [
        m
        for m in mail.outbox
        if m.subject.startswith("Terugbelverzoek") and m.to == ["carla@hetanker.example"]
    ]
    assert "0612345678" not in notice.body
    coordinator.goto(live_server.url + "/start/")  # the link then loads the page afresh
    coordinator.goto(re.search(r"https?://\S+#call-backs", notice.body).group(0))
    card = coordinator.locator("li.card", has_text="0612345678")
    card.get_by_label("Uitkomst: wat is er afgesproken").fill("Monteur komt donderdag terug.")
    card.get_by_role("button", name="Afsluiten met deze uitkomst").click()
    coordinator.wait_for_selector(".message-success")
    closed = coordinator.locator("#closed-call-backs")
    assert "Monteur komt donderdag terug." in closed.inner_text()
    call_back = CallBack.objects.get(organisation=organisation)
    assert (call_back.status, call_back.phone) == ("done", "")
