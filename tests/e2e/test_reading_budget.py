"""What one respondent reads and scrolls on a 375 px phone, per group, through the default model.

Each group's whole path (intro, every topic, the closing step) is walked in the browser: the
words are the page's visible text (`innerText` of the main content: a closed scale card is not
counted), the scroll is each page's full height. The budget is the issue's: staff at most
2,500 words and 25,000 px, tenants and partners less than staff.
The figures are written to test-results/reading-budget.json; KLANTRAAT_SCREENSHOTS=1 also
writes the phone screenshots of docs/screenshots/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scan import reading_time, services
from scan.modeldoc import ModelDoc
from tests import factories

from .conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

DEFAULT_MODEL = (
    Path(__file__).resolve().parents[2] / "scan" / "default_models" / "woningcorporatie.yaml"
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BUDGET = {"staff": (2500, 25000)}
MEASURE = """() => {
  const main = document.querySelector("main") || document.body;
  const text = main.innerText || "";
  return {words: text.split(/\\s+/).filter(Boolean).length,
          height: document.documentElement.scrollHeight,
          sideways: document.documentElement.scrollWidth > window.innerWidth};
}"""


def walk(page, url: str, group: str, shot_at: str | None = None) -> dict:
    """Answer every topic with a level and return words, scroll height and pages."""
    words = height = pages = 0
    page.goto(url)
    while True:
        page.wait_for_load_state("domcontentloaded")
        measured = page.evaluate(MEASURE)
        assert not measured["sideways"], f"{group}: {page.url} scrolls sideways"
        words += measured["words"]
        height += measured["height"]
        pages += 1
        if (
            shot_at
            and page.url.endswith(f"/{shot_at}/")
            and os.environ.get("KLANTRAAT_SCREENSHOTS")
        ):
            page.screenshot(path=str(SCREENSHOTS / f"wizard-{group}-phone.png"), full_page=True)
        if page.url.endswith("/closing/"):
            return {"words": words, "height": height, "pages": pages}
        for name in page.eval_on_selector_all(
            ".level-choice input[value='3']", "els => els.map(e => e.name)"
        ):
            page.check(f"input[name='{name}'][value='3']")
        page.click(".wizard-buttons button[type=submit]:not([name])")
        page.wait_for_load_state("domcontentloaded")


def test_each_group_reads_and_scrolls_within_budget(live_server, new_page, org_a):
    import yaml

    version = factories.model_version(yaml.safe_load(DEFAULT_MODEL.read_text(encoding="utf-8")))
    scan_round = factories.scan_round(org_a, version=version)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figures = {}
    for group, shot_at in (("staff", "KP2"), ("tenants", "KP2"), ("partners", "KP5")):
        respondent = factories.respondent(scan_round, kind=group)
        token = services.respondent_issue_link(respondent)
        page = new_page(width=375, height=740)
        figures[group] = walk(page, f"{live_server.url}/r/{token}/", group, shot_at)
    # The figures the README states, with the minutes the invitation promises.
    doc = ModelDoc(version.document)
    for group in figures:
        figures[group]["minutes"] = reading_time.minutes(doc, group, "nl")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "reading-budget.json").write_text(json.dumps(figures, indent=2))
    words, height = BUDGET["staff"]
    assert figures["staff"]["words"] <= words, figures
    assert figures["staff"]["height"] <= height, figures
    for group in ("tenants", "partners"):
        assert figures[group]["words"] < figures["staff"]["words"], figures
        assert figures[group]["height"] < figures["staff"]["height"], figures
