"""A coordinator sets up a second working group and gives it an action; its member gets a mail,
logs in, lands on "my actions" and reports progress; the action list downloads as Excel.

With KLANTRAAT_SCREENSHOTS=1 the new pages are written to docs/screenshots/ at 1280 and
375 px."""

import re

import pytest
from django.core import mail

from actions import services as cycle
from actions.models import ImprovementAction

from .conftest import login
from .test_consultant_journey import shoot
from .test_cycle import closed  # noqa: F401  (the fixture: a closed round with results)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_working_group_owns_an_action_and_its_member_lands_on_it(
    live_server,
    new_page,
    org_a,
    closed,  # noqa: F811
    settings,
):
    from tests import factories

    settings.KLANTRAAT_BASE_URL = live_server.url
    coordinator = factories.member(org_a, "coordinator", email="coordinator@alfa.nl")
    member = factories.member(org_a, "workgroup", email="ines@alfa.nl", first_name="Ines")
    cycle.working_group_set(
        organisation=org_a, name="Werkgroep huurders", chair=coordinator, members=[], user=None
    )

    # A second working group, from the working-group page.
    page = new_page()
    login(page, live_server, coordinator.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/alfa/cycle/working-group/")
    form = page.locator("#group-form")
    form.get_by_label("Naam").fill("Werkgroep reparaties")
    form.get_by_label("Ines").check()
    form.get_by_role("button", name="Werkgroep toevoegen").click()
    page.wait_for_selector(".message-success")
    assert page.locator(".working-groups > li").count() == 2
    shoot(page, "working-groups")

    # An action owned by that group: its member is mailed.
    page.goto(f"{live_server.url}/org/alfa/cycle/actions/new/?cell=KP1")
    page.fill("#id_title", "Monteurs bellen vooraf")
    page.select_option("#id_working_group", label="Werkgroep reparaties")
    page.get_by_role("button", name="Actie toevoegen").click()
    page.wait_for_url(re.compile(r".*/actions/\d+/$"))
    action = ImprovementAction.objects.get(title="Monteurs bellen vooraf")
    assert action.working_group.name == "Werkgroep reparaties" and action.owner is None
    [assigned] = [m for m in mail.outbox if m.to == [member.email]]
    assert "Werkgroep reparaties" in assigned.body and "Monteurs bellen vooraf" in assigned.body
    page.goto(f"{live_server.url}/org/alfa/cycle/actions/")
    with page.expect_download() as download:
        page.locator("#actions-export").get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    shoot(page, "actions-list")

    # The member logs in and lands on the actions they carry, then reports progress.
    own = new_page()
    login(own, live_server, member.email, factories.PASSWORD)
    assert own.url.endswith("/my-actions/")
    row = own.locator("table.my-actions tbody tr", has_text="Monteurs bellen vooraf")
    assert "Werkgroep reparaties" in row.inner_text()
    shoot(own, "my-actions")
    row.get_by_role("link", name="Monteurs bellen vooraf").click()
    own.fill("#id_note", "Belscript gemaakt.")
    own.get_by_role("button", name="Voortgang opslaan").click()
    own.wait_for_selector(".message-success")
    assert action.updates.get().author == member
