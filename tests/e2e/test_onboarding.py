"""A consultant invites a coordinator from the organisation's page; the coordinator opens the
link from the mail, chooses a password and lands in the organisation, logged in."""

import re
from pathlib import Path

import pytest
from django.core import mail

from core.models import Membership
from tests import factories
from tests.fixtures.make_fixtures import DUTCH_EXPECTED

from .conftest import login

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

pytestmark = pytest.mark.django_db(transaction=True)


def test_consultant_invites_a_coordinator_who_sets_a_password_and_imports(
    live_server, new_page, org_a, version, settings
):
    settings.KLANTRAAT_BASE_URL = live_server.url
    consultant = factories.member(org_a, "consultant", email="adviseur@advies.example")
    page = new_page()
    login(page, live_server, consultant.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/{org_a.slug}/")
    people = page.locator("#people")
    people.get_by_label("Naam").fill("Carla de Vries")
    people.get_by_label("E-mailadres").fill("carla@alfa.example")
    people.locator("#id_invite-role").select_option("coordinator")
    people.get_by_role("button", name="Uitnodigen").click()
    page.wait_for_selector(".message-success")
    assert people.get_by_role("cell", name="carla@alfa.example", exact=True).count() == 1
    assert Membership.objects.get(user__email="carla@alfa.example").role == "coordinator"

    [message] = mail.outbox
    link = re.search(r"http\S+/welcome/\S+/", message.body).group(0)
    invitee = new_page()
    invitee.goto(link)
    invitee.get_by_role("heading", name="Welkom bij Klantraat").wait_for()
    invitee.fill("#id_new_password1", "Vl1nder-Zomer-42")
    invitee.fill("#id_new_password2", "Vl1nder-Zomer-42")
    invitee.get_by_role("button", name="Wachtwoord opslaan").click()
    invitee.wait_for_url(f"**/org/{org_a.slug}/")
    assert invitee.get_by_role("heading", level=1).inner_text() == org_a.name
    assert "Coördinator" in invitee.locator(".meta").first.inner_text()

    # The new coordinator imports the corporation's own Dutch export straight away.
    scan_round = factories.scan_round(org_a, version=version)
    invitee.goto(f"{live_server.url}/org/{org_a.slug}/rounds/{scan_round.pk}/")
    invitee.set_input_files("#id_file", str(FIXTURES / "respondenten_nl.csv"))
    invitee.get_by_role("button", name=re.compile(r"^(Importeren|Import)$")).click()
    invitee.get_by_role("button", name=re.compile(r"\d+ respondent")).click()
    invitee.wait_for_selector(".message-success")
    imported = sorted((r.name, r.email, r.group.kind) for r in scan_round.respondents.all())
    assert imported == sorted(DUTCH_EXPECTED)  # every row in, names intact

    # The link was for one use: opening it again shows why it no longer works.
    invitee.goto(link)
    assert invitee.locator(".link-invalid").count() == 1
