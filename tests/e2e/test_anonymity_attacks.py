"""The anonymity review's attacks, replayed in the browser: figures before and after one more
answer, a suppression pattern that would flip between releases, padding a group with answers
through an open link, and erasure after sign-off. Nothing of a single person comes out."""

import re

import pytest

from scan import services
from scan.models import RoundStatus
from scan.services import AnswerInput
from tests import factories
from tests.actions.test_sign_off import sign

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]
SCORE = re.compile(r"\b[1-5],\d\b")  # a one-decimal score as the Dutch pages print it


def answered(scan_round, kind: str, n: int, level: int, comment: str = "") -> list:
    people = []
    for _ in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        codes = [c for c in STATEMENTS if not (kind in ("tenants", "partners") and c == "KV1.2")]
        services.answers_save(
            respondent=respondent, answers=[AnswerInput(c, level, comment) for c in codes]
        )
        services.respondent_submit(respondent)
        people.append(respondent)
    return people


def answer_in_browser(page, url: str, level: str) -> None:
    """A respondent's whole scan on a phone, from the link to the thank-you page."""
    page.goto(url)
    if "/l/" in url:  # an open link's own start page first
        page.get_by_role("button", name=re.compile("^(Start|Beginnen)$")).click()
        page.get_by_role("link", name=re.compile("Begin met de scan|Start the scan")).click()
    page.get_by_role("button", name=re.compile("^(Start|Beginnen)$")).click()
    while "/closing/" not in page.url:
        for fieldset in page.locator("fieldset.statement").all():
            fieldset.locator(f"input[type=radio][value='{level}']").check()
        page.get_by_role("button", name=re.compile("Opslaan en verder|Save and continue")).click()
    page.get_by_label(re.compile("ingevuld|answered all")).check()
    page.get_by_role("button", name=re.compile("Verstuur|Submit")).click()
    page.wait_for_url("**/done/")


def main_text(page, url: str) -> str:
    page.goto(url)
    return page.locator("main").inner_text()


def score_table(page, url: str) -> str:
    page.goto(url)
    return page.locator("table.results-table").inner_text()


def test_nothing_of_one_person_comes_out_over_time(live_server, new_page, people, round_a):
    base = f"{live_server.url}/org/alfa/rounds/{round_a.pk}/results/"
    director = new_page()
    login(director, live_server, people["director_a"].email, factories.PASSWORD)

    # 1. Live figures and one more answer: an open round shows counts, never figures.
    answered(round_a, "staff", 4, 3)
    answered(round_a, "managers", 4, 2)
    partners = [
        answered(round_a, "partners", 1, 4, comment=f"Partner {i} zegt")[0] for i in range(6)
    ]
    before = main_text(director, base)
    assert "Nog geen cijfers" in before and not SCORE.search(before)
    late = factories.respondent(round_a, kind="staff")
    answer_in_browser(
        new_page(width=375, height=740),
        f"{live_server.url}/r/{services.respondent_issue_link(late)}/",
        "5",
    )
    after = main_text(director, base)
    assert not SCORE.search(after)
    for page_path in ("cells/KP1/", "compare/", "trend/", "export.xlsx"):
        director.goto(base + page_path)
        assert director.locator("#results-unreleased").count() == 1, page_path

    # The round closes: release 1 (four managers and five staff, own organisation nine).
    services.round_set_status(scan_round=round_a, status=RoundStatus.CLOSED)
    first = main_text(director, base + "?group=organisation")
    assert SCORE.search(first)

    # 2 and 3. Reopened: one real tenant with a personal link, and four answers of one's own
    # through an open link for tenants. Closed again: release 2.
    services.round_set_status(scan_round=round_a, status=RoundStatus.OPEN)
    answered(round_a, "tenants", 1, 1, comment="Huurder met een geheim")
    link, token = services.open_link_create(
        scan_round=round_a,
        group=round_a.groups.get(kind="tenants"),
        cap=10,
        closes_on=round_a.closes_on,
    )
    for _ in range(4):
        answer_in_browser(new_page(width=375, height=740), f"{live_server.url}/l/{token}/", "5")
    services.round_set_status(scan_round=round_a, status=RoundStatus.CLOSED)
    assert not SCORE.search(score_table(director, base + "?group=tenants"))
    cell = main_text(director, base + "cells/KP1/?group=tenants")
    assert "Huurder met een geheim" not in cell
    # Release 1 showed the organisation; release 2 shows neither staff nor managers alone, so
    # the four managers' mean cannot be had as organisation minus staff.
    for group in ("managers", "staff"):
        assert not SCORE.search(score_table(director, base + f"?group={group}")), group

    # 4. Signed off, then a contract partner is erased: their comment leaves every copy.
    sign(round_a, people)
    assert "Partner 0 zegt" in main_text(director, base + "cells/KP1/")
    services.respondent_erase_personal_data(respondent=partners[0])
    cell = main_text(director, base + "cells/KP1/")
    assert "Partner 0 zegt" not in cell and "Partner 1 zegt" in cell
