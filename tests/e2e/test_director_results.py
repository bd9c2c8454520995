"""A director opens the closed round, reads the honeycomb, opens a cell, switches group and
downloads the Excel workbook and the board report."""

import re

import pytest

from scan import services
from scan.services import AnswerInput
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def test_director_reviews_results_and_downloads(live_server, new_page, org_a, version):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting")
    for kind, level in (("staff", 4), ("managers", 2)):
        for _ in range(5):
            r = factories.respondent(scan_round, kind=kind)
            services.answers_save(
                respondent=r,
                answers=[
                    AnswerInput(c, level, "Goed bezig" if kind == "staff" else "")
                    for c in STATEMENTS
                ],
            )
            services.respondent_submit(r)
    scan_round.status = "closed"
    scan_round.save()
    director = factories.member(org_a, "director", email="bestuurder@alfa.nl")

    page = new_page()
    login(page, live_server, director.email, factories.PASSWORD)
    page.get_by_role("link", name="Nulmeting").click()
    page.get_by_role("link", name=re.compile("^(Resultaten|Results)$")).first.click()
    page.wait_for_selector("#honeycomb-chart .main-svg")
    table = page.locator("table.results-table")
    assert "3,0" in table.inner_text() or "3.0" in table.inner_text()

    # Clicking a hexagon opens the cell.
    point = page.locator("#honeycomb-chart .scatterlayer .point").first
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r".*/results/cells/KV1/.*"))
    assert "Goed bezig" in page.content()
    page.go_back()

    # Switch to the staff group.
    page.select_option("#group-filter", "staff")
    page.get_by_role("button", name=re.compile("^(Toon|Show)$")).click()
    page.wait_for_url(re.compile(r".*group=staff.*"))
    assert (
        "4,0" in page.locator("table.results-table").inner_text()
        or "4.0" in page.locator("table.results-table").inner_text()
    )

    with page.expect_download() as excel:
        page.get_by_role("link", name=re.compile("Excel")).click()
    assert excel.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("button", name=re.compile("PDF")).click()
    page.wait_for_selector("#report-download")
    with page.expect_download() as pdf:
        page.locator("#report-download").click()
    path = pdf.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
