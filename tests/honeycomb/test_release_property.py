"""Proof of disclosure control over time: random rounds published as a sequence of releases
(respondents arriving between releases, some through an open link someone could fill in
themselves), and the independent checker of ``test_disclosure_property`` searching every
figure of every release together: differences across releases included.

A set counts its personal-link respondents; a set of open-link answers alone counts them all
(the answers someone produced themselves never make a real respondent visible)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from honeycomb.figure_atoms import EarlierRelease, release_suppression
from honeycomb.scoring import ANSWER_COLUMNS, score_round
from tests.honeycomb.test_disclosure_property import GROUPS, STATEMENTS, _subtract, figure_sets

DOMAIN = {"KP1": "KP", "KV1": "KV"}


@st.composite
def release_sequences(draw):
    threshold = draw(st.integers(3, 6))
    releases = draw(st.integers(2, 3))
    rows, arrivals, open_link, respondent = [], {}, set(), 0
    for group in GROUPS:
        for _i in range(draw(st.integers(0, threshold + 3))):
            respondent += 1
            arrivals[respondent] = draw(st.integers(0, releases - 1))
            if group in ("tenants", "partners") and draw(st.booleans()):
                open_link.add(respondent)
            for statement, cell in STATEMENTS.items():
                level = draw(st.sampled_from((None, 1, 2, 3, 4, 5, 5, "skip")))
                if level == "skip":
                    continue
                rows.append(
                    (
                        respondent,
                        group,
                        "",
                        statement,
                        cell,
                        DOMAIN[cell],
                        np.nan if level is None else float(level),
                    )
                )
    answers = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    return answers, arrivals, frozenset(open_link), threshold, releases


def shown_keys(answers: pd.DataFrame, threshold: int, hidden: frozenset) -> set[tuple]:
    """Every figure a release built with ``hidden`` shows (the keys the pages publish)."""
    scores = score_round(answers, min_group_size=threshold, hidden=hidden)
    shown: set[tuple] = set()
    for kind, table in (
        ("cell", scores.cells),
        ("statement", scores.statements),
        ("domain", scores.domains),
    ):
        for group, unit in table.index:
            if not table.loc[(group, unit), "suppressed"]:
                shown.add(("", str(group), kind, str(unit)))
    for group in scores.overall.index:
        if not scores.overall.loc[group, "suppressed"]:
            shown.add(("", str(group), "overall", None))
    return shown


def publish(answers, arrivals, open_link, threshold, releases):
    """The sequence as the product makes it; per release its answers and shown keys."""
    made: list[EarlierRelease] = []
    published = []
    for number in range(releases):
        ids = {r for r, at in arrivals.items() if at <= number}
        now = answers[answers["respondent"].isin(ids)]
        hidden = release_suppression(now, threshold=threshold, earlier=made, open_link=open_link)
        published.append((now, shown_keys(now, threshold, hidden)))
        made.append(EarlierRelease(frozenset(int(r) for r in now["respondent"].unique()), hidden))
    return published


def weight(elements, open_link: frozenset) -> int:
    people = {element[0] for element in elements}
    personal = people - open_link
    return len(personal) if personal else len(people)


def find_leak_across(published, threshold: int, open_link: frozenset):
    """A published set (of any release), or a union of two disjoint ones, minus disjoint
    published subsets (of any releases), weighing 1 … threshold−1; None when there is none."""
    quantities: dict = {}
    for answers, keys in published:
        for key in keys:
            for quantity, members in figure_sets(answers, key).items():
                if members:
                    quantities.setdefault(quantity, set()).add(members)
    for quantity, sets in quantities.items():
        ordered = sorted(sets, key=len, reverse=True)
        totals = list(ordered) + [
            a | b for i, a in enumerate(ordered) for b in ordered[i + 1 :] if not a & b
        ]
        for total in totals:
            if 0 < weight(total, open_link) < threshold:
                return quantity, total
            parts = [s for s in ordered if s < total]
            found = _subtract(total, parts, threshold, (), 0, lambda s: weight(s, open_link))
            if found is not None:
                return quantity, total - frozenset().union(*found)
    return None


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,  # the same examples on every run: a proof, never a flaky test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(release_sequences())
def test_no_difference_across_releases_reveals_a_small_group(sequence):
    answers, arrivals, open_link, threshold, releases = sequence
    published = publish(answers, arrivals, open_link, threshold, releases)
    assert find_leak_across(published, threshold, open_link) is None


# --- the attacks of the anonymity review, replayed on the rules -----------------------------


def _people(start: int, group: str, n: int, level: float, statement: str = "KP1.1") -> list:
    cell = STATEMENTS[statement]
    return [(start + i, group, "", statement, cell, DOMAIN[cell], level) for i in range(n)]


def test_one_late_answer_cannot_be_differenced_out():
    # Eight staff in the first release, one more in the second: every figure the second release
    # could add is a difference of one person, so it shows nothing the first did not.
    rows = _people(1, "staff", 8, 3.0) + _people(9, "staff", 1, 5.0)
    answers = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    arrivals = {r: (0 if r <= 8 else 1) for r in range(1, 10)}
    published = publish(answers, arrivals, frozenset(), 5, 2)
    assert ("", "staff", "cell", "KP1") in published[0][1]
    assert published[1][1].isdisjoint({("", "staff", "cell", "KP1"), ("", "all", "cell", "KP1")})
    assert find_leak_across(published, 5, frozenset()) is None


def test_what_was_hidden_stays_protected_when_the_pattern_would_flip():
    # Release 1: four managers and five staff, own organisation shown, staff and managers hidden
    # (organisation minus staff would give the managers). One tenant later must not flip it.
    rows = (
        _people(1, "managers", 4, 2.0)
        + _people(5, "staff", 5, 4.0)
        + _people(10, "tenants", 1, 1.0)
    )
    answers = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    arrivals = {r: (0 if r < 10 else 1) for r in range(1, 11)}
    published = publish(answers, arrivals, frozenset(), 5, 2)
    assert find_leak_across(published, 5, frozenset()) is None
    first, second = published[0][1], published[1][1]
    if ("", "organisation", "cell", "KP1") in first:
        assert ("", "staff", "cell", "KP1") not in second


def test_answers_through_an_open_link_never_pad_a_group():
    # One real tenant with a personal link and four open-link answers: the tenants' figures and
    # everything that would isolate the real one stay hidden.
    rows = (
        _people(1, "staff", 6, 3.0) + _people(7, "tenants", 1, 1.0) + _people(8, "tenants", 4, 5.0)
    )
    answers = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    open_link = frozenset({8, 9, 10, 11})
    arrivals = dict.fromkeys(range(1, 12), 0)
    published = publish(answers, arrivals, open_link, 5, 1)
    assert ("", "tenants", "cell", "KP1") not in published[0][1]
    assert published[0][1] & {("", g, "cell", "KP1") for g in ("all", "organisation", "staff")}
    assert find_leak_across(published, 5, open_link) is None
    # Without the rule (the open-link answers counted) the tenants' group would be shown.
    counted = publish(answers, arrivals, frozenset(), 5, 1)
    assert ("", "tenants", "cell", "KP1") in counted[0][1]


def test_the_checker_finds_the_leak_of_releases_checked_one_by_one():
    # Each release safe on its own, as before releases were checked together: the late
    # respondent is the difference of the two staff figures, and the checker says so.
    rows = _people(1, "staff", 8, 3.0) + _people(9, "staff", 1, 5.0)
    answers = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    one_by_one = []
    for ids in (range(1, 9), range(1, 10)):
        now = answers[answers["respondent"].isin(list(ids))]
        one_by_one.append((now, shown_keys(now, 5, release_suppression(now, threshold=5))))
    quantity, leaked = find_leak_across(one_by_one, 5, frozenset())
    assert {element[0] for element in leaked} == {9}
