"""A consultant invites a coordinator from the organisation's page; the coordinator opens the
link from the mail, chooses a password and lands in the organisation, logged in."""

import re

import pytest
from django.core import mail

from scan.models import Membership
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_consultant_invites_a_coordinator_who_sets_a_password(
    live_server, new_page, org_a, settings
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

    # The link was for one use: opening it again shows why it no longer works.
    invitee.goto(link)
    assert invitee.locator(".link-invalid").count() == 1
