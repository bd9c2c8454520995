"""A consultant prepares the next round now from the schedule page: confirm, then a draft."""

import re

import pytest

from scan.models import RoundStatus, ScanRound
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_consultant_prepares_the_next_round_now(live_server, new_page, org_a, version):
    closed = factories.scan_round(org_a, version=version, title="Klantscan")
    for i in range(3):
        factories.respondent(closed, email=f"p{i}@alfa.nl")
    closed.status = RoundStatus.CLOSED
    closed.save()
    factories.scan_round(org_a, version=version, title="Pilot")  # open: never the basis
    consultant = factories.member(org_a, "consultant", email="adviseur@alfa.nl")
    page = new_page(width=375, height=800, locale="en-GB")
    login(page, live_server, consultant.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/alfa/cycle/schedule/")
    page.get_by_text(re.compile(r"\b3 respondent")).wait_for()  # "respondenten" in Dutch
    button = page.get_by_role("button", name=re.compile("Nu klaarzetten|Prepare now"))
    button.click()  # not confirmed yet: the browser asks for the box
    assert not ScanRound.objects.filter(previous_round=closed).exists()
    page.locator("#prepare-confirm").check()
    button.click()
    page.wait_for_url(re.compile(r".*/rounds/\d+/$"))
    draft = ScanRound.objects.get(previous_round=closed)
    assert draft.status == RoundStatus.DRAFT and draft.respondents.count() == 3
    assert draft.title != closed.title
