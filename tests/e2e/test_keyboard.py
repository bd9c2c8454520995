"""A respondent completes the whole scan with the keyboard only."""

import pytest

from scan import services
from scan.models import Respondent
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE = """() => {
  const el = document.activeElement;
  return {tag: el.tagName, type: el.type || "", name: el.name || "", text: (el.innerText || "").trim(),
          groupDone: el.type === "radio" ? !!document.querySelector(`input[name="${el.name}"]:checked`) : false,
          checked: !!el.checked};
}"""


def tab_until(page, wanted, limit=80):
    """Press Tab, answering every unanswered radio group and ticking boxes on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(ACTIVE)
        if state["type"] == "radio" and not state["groupDone"]:
            page.keyboard.press("Space")
        elif state["type"] == "checkbox" and not state["checked"]:
            page.keyboard.press("Space")
        elif state["tag"] == "BUTTON" and wanted(state["text"]):
            page.keyboard.press("Enter")
            return
    raise AssertionError("the button was never reached with Tab")


def test_whole_scan_with_keyboard_only(live_server, new_page, round_a):
    respondent = factories.respondent(round_a, kind="tenants")
    token = services.respondent_issue_link(respondent)
    page = new_page(width=375, height=740)
    page.goto(f"{live_server.url}/r/{token}/")
    tab_until(page, lambda text: text in ("Beginnen", "Start"))
    for step in ("KV1", "KP1", "KP2"):
        page.wait_for_url(f"**/{step}/")
        tab_until(page, lambda text: text in ("Opslaan en verder", "Save and continue"))
    page.wait_for_url("**/closing/")
    tab_until(page, lambda text: text in ("Verstuur mijn antwoorden", "Submit my answers"))
    page.wait_for_url("**/done/")
    respondent = Respondent.objects.get(pk=respondent.pk)
    assert respondent.submitted_at is not None
    assert respondent.answers.count() == 4


def test_a_level_is_picked_by_typing_its_number(live_server, new_page, round_a):
    """No arrow keys needed: on a statement's options, 1-5 pick that level and 0 "don't know"."""
    respondent = factories.respondent(round_a, kind="staff")
    token = services.respondent_issue_link(respondent)
    page = new_page(width=375, height=740)
    page.goto(f"{live_server.url}/r/{token}/KP1/")
    first = page.locator(".level-choice").first
    first.locator("input").first.focus()
    page.keyboard.press("4")
    assert first.locator("input[value='4']").is_checked()
    assert page.evaluate("document.activeElement.value") == "4"
    page.keyboard.press("0")
    assert first.locator("input[value='na']").is_checked()
