"""A director opens the closed round, reads the honeycomb, opens a cell, switches group and
downloads the Excel workbook and the board report."""

import re

import pytest

from scan import services
from scan.selectors import model_doc
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
    factories.release(scan_round)
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


LABEL_BOXES = """
() => {
  const root = document.querySelector('#honeycomb-chart');
  const box = (e) => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const traces = [...root.querySelectorAll('.scatterlayer .trace')];
  const cells = root.data.findIndex((t) => t.name === 'cells');
  const spread = root.data.findIndex((t) => t.meta === 'spread');
  return {
    hexagons: [...root.querySelectorAll('.layer-subplot .shapelayer path')].map(box),
    labels: [...traces[cells].querySelectorAll('.textpoint text')].map((t) => ({...box(t), text: t.textContent})),
    marks: [...traces[spread].querySelectorAll('.point')].map(box),
    marked: (root.data[spread].customdata || []).map((c) => c[0]),
    legend: [...root.querySelectorAll('.legendtext')].map((t) => t.textContent),
  };
}
"""


def _centre(box):
    return box["x"] + box["w"] / 2, box["y"] + box["h"] / 2


def _inside_hexagon(x, y, hexagon, slack=1.0):
    """Whether a point lies in a pointy-top hexagon given by its bounding box."""
    cx, cy = _centre(hexagon)
    half_w, half_h = hexagon["w"] / 2, hexagon["h"] / 2
    dx, dy = abs(x - cx), abs(y - cy)
    return dx <= half_w + slack and dy <= half_h - half_h / 2 * dx / half_w + slack


def _nearest(items, x, y):
    return min(items, key=lambda b: (_centre(b)[0] - x) ** 2 + (_centre(b)[1] - y) ** 2)


@pytest.mark.parametrize("width", [1280, 375])
def test_honeycomb_labels_stay_in_their_hexagons_and_disagreement_is_marked(
    live_server, new_page, org_a, version, width
):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting")
    for i in range(6):  # staff disagree on KV1: half say level 1, half level 5
        r = factories.respondent(scan_round, kind="staff")
        level = 1 if i % 2 else 5
        answers = [AnswerInput(c, level if c.startswith("KV1") else 4) for c in STATEMENTS]
        services.answers_save(respondent=r, answers=answers)
        services.respondent_submit(r)
    factories.release(scan_round)
    director = factories.member(org_a, "director", email="bestuurder@alfa.nl")
    name = model_doc(scan_round).cell_by_code["KV1"].name["nl"]

    page = new_page(width=width, height=900)
    login(page, live_server, director.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/{org_a.slug}/rounds/{scan_round.pk}/results/")
    page.wait_for_selector("#honeycomb-chart[data-fitted]")
    found = page.evaluate(LABEL_BOXES)
    hexagons, labels = found["hexagons"], found["labels"]
    assert len(labels) == len(hexagons) > 1
    for i, a in enumerate(labels):  # no two label boxes overlap
        for b in labels[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"] + 1
                or b["x"] + b["w"] <= a["x"] + 1
                or a["y"] + a["h"] <= b["y"] + 1
                or b["y"] + b["h"] <= a["y"] + 1
            )
            assert apart, (width, a["text"], b["text"])
    for label in labels:  # every corner of every label box lies in its own hexagon
        hexagon = _nearest(hexagons, *_centre(label))
        for x in (label["x"], label["x"] + label["w"]):
            for y in (label["y"], label["y"] + label["h"]):
                assert _inside_hexagon(x, y, hexagon), (width, label["text"])
    # The legend names the disagreement mark, and the cell the staff disagree on carries it.
    assert any(re.search(r"(spread|spreiding) ≥ 1[,.]0", t) for t in found["legend"])
    assert found["marked"] == ["KV1"] and len(found["marks"]) == 1
    mark_x, mark_y = _centre(found["marks"][0])
    hexagon = _nearest(hexagons, mark_x, mark_y)
    assert _inside_hexagon(mark_x, mark_y, hexagon)
    label = _nearest(labels, *_centre(hexagon))
    assert "KV1" in label["text"] or name.split()[0] in label["text"]  # phone: the code
