"""A coordinator imports a realistic Dutch export after a preview, a bad file gets every
problem listed and nothing imported, and the invitations read right for tenants and partners."""

import re
from pathlib import Path

import pytest
from django.core import mail

from scan.models import Respondent
from tests import factories
from tests.fixtures.make_fixtures import BAD_PROBLEM_ROWS, DUTCH_EXPECTED

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _upload(page, live_server, scan_round, filename):
    page.goto(f"{live_server.url}/org/{scan_round.organisation.slug}/rounds/{scan_round.pk}/")
    page.set_input_files("#id_file", str(FIXTURES / filename))
    page.get_by_role("button", name=re.compile(r"^(Importeren|Import)$")).click()


@pytest.mark.parametrize("filename", ["respondenten_nl.csv", "respondenten_nl.xlsx"])
def test_coordinator_imports_a_dutch_export_after_a_preview(
    live_server, new_page, org_a, version, settings, filename
):
    settings.KLANTRAAT_BASE_URL = live_server.url
    coordinator = factories.member(org_a, "coordinator", email="coordinator@alfa.example")
    scan_round = factories.scan_round(org_a, version=version, min_group_size=3)
    page = new_page()
    login(page, live_server, coordinator.email, factories.PASSWORD)

    _upload(page, live_server, scan_round, filename)
    preview = page.locator("table.import-preview")
    for name, email, _kind in DUTCH_EXPECTED:
        assert preview.get_by_text(name, exact=True).count() == 1
        assert preview.get_by_text(email, exact=True).count() == 1
    assert not Respondent.objects.exists()
    page.get_by_role("button", name=re.compile(r"\d+ respondent")).click()
    page.wait_for_selector(".message-success")
    imported = sorted(
        (r.name, r.email, r.group.kind) for r in Respondent.objects.select_related("group")
    )
    assert imported == sorted(DUTCH_EXPECTED)

    # Invitations: tenants and partners in their own words ("je", as the wizard), with the
    # round's threshold.
    send = re.compile("Uitnodigingen versturen|Send invitations")
    page.get_by_role("button", name=send).click()
    assert page.locator(".confirm-count").inner_text().count(str(len(DUTCH_EXPECTED))) == 1
    assert mail.outbox == []  # nothing is sent before the confirmation
    page.locator(".confirm").get_by_role("button", name=send).click()
    page.wait_for_selector(".message-success")
    by_to = {m.to[0]: m.body for m in mail.outbox}
    assert len(by_to) == len(DUTCH_EXPECTED)
    tenant = by_to["anais.ozdemir@example.org"]
    partner = by_to["lois@aannemer.example"]
    colleague = by_to["zoe.janssen@woonstad.example"]
    assert tenant.startswith("Beste Anaïs Özdemir,") and "Je huurt" in tenant
    assert partner.startswith("Beste Loïs van Dijk,") and "samenwerking" in partner
    for body in (tenant, partner):
        assert "collega" not in body.lower() and "minstens 3 mensen" in body
    assert colleague.startswith("Beste Zoë Janssen,") and "Je mening telt" in colleague


def test_a_bad_file_lists_every_problem_and_imports_nothing(live_server, new_page, org_a, version):
    coordinator = factories.member(org_a, "coordinator", email="coordinator@alfa.example")
    scan_round = factories.scan_round(org_a, version=version)
    page = new_page()
    login(page, live_server, coordinator.email, factories.PASSWORD)
    _upload(page, live_server, scan_round, "respondenten_fout.csv")
    problems = page.locator("ul.import-problems li").all_inner_texts()
    rows = sorted({int(re.match(r"\D*(\d+)", p).group(1)) for p in problems})
    assert rows == BAD_PROBLEM_ROWS
    assert any("@SUM(1+1)" in p for p in problems)
    assert not Respondent.objects.exists()
