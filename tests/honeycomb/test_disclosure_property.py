"""Proof of disclosure control: random rounds, every figure the consumers publish, and an
independent search through differences of published sets for a group below the threshold.

The checker below does not use honeycomb.disclosure or honeycomb.published: it rebuilds each
published figure's respondents from the answers and searches, per quantity, every published
set (and every union of two disjoint published sets) minus every collection of disjoint
published subsets of it."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from honeycomb.published import listed_departments
from honeycomb.scoring import ANSWER_COLUMNS, ThresholdRefused, explain_cell, score_round

GROUPS = ("board", "managers", "staff", "partners", "tenants")
INTERNAL = ("board", "managers", "staff")
STATEMENTS = {"KP1.1": "KP1", "KP1.2": "KP1", "KV1.1": "KV1"}
DOMAIN = {"KP1": "KP", "KV1": "KV"}
DEPARTMENTS = ("Wonen", "Vastgoed", "Klantcontact")


# --- the round -------------------------------------------------------------------------------


@st.composite
def rounds(draw):
    threshold = draw(st.integers(3, 10))
    sizes = {g: draw(st.integers(0, threshold + 4)) for g in GROUPS}
    departments = DEPARTMENTS[: draw(st.integers(0, 3))]
    rows, respondent = [], 0
    for group, n in sizes.items():
        for _i in range(n):
            respondent += 1
            department = (
                draw(st.sampled_from(("", *departments)))
                if departments and group in INTERNAL
                else ""
            )
            for statement, cell in STATEMENTS.items():
                level = draw(st.sampled_from((None, None, 1, 2, 3, 4, 5, "skip")))
                if level == "skip":
                    continue  # not asked to this respondent
                rows.append(
                    (
                        respondent,
                        group,
                        department,
                        statement,
                        cell,
                        DOMAIN[cell],
                        np.nan if level is None else float(level),
                    )
                )
    return pd.DataFrame(rows, columns=list(ANSWER_COLUMNS)), threshold


# --- what the consumers publish --------------------------------------------------------------


def _shown(row: dict) -> bool:
    return bool(row) and not row.get("suppressed")


def published_figures(answers: pd.DataFrame, threshold: int) -> set[tuple]:
    """Keys (scope, group, kind, unit) of every figure the scoring consumers show."""
    shown: set[tuple] = set()
    scores = score_round(answers, min_group_size=threshold)
    for kind, table in (("cell", scores.cells), ("statement", scores.statements)):
        for group, unit in table.index:
            if not table.loc[(group, unit), "suppressed"]:
                assert not np.isnan(table.loc[(group, unit), "mean"])
                shown.add(("", str(group), kind, str(unit)))
    for group, unit in scores.domains.index:
        if not scores.domains.loc[(group, unit), "suppressed"]:
            shown.add(("", str(group), "domain", str(unit)))
    for group in scores.overall.index:
        if not scores.overall.loc[group, "suppressed"]:
            shown.add(("", str(group), "overall", None))
    for department, unit in scores.departments.index:
        if not scores.departments.loc[(department, unit), "suppressed"]:
            shown.add((str(department), "all", "cell", str(unit)))
    # Gaps are differences of two shown means, never of a hidden one.
    for gap in scores.gaps.dropna(subset=["gap"]).itertuples():
        assert ("", gap.a, "cell", gap.cell) in shown and ("", gap.b, "cell", gap.cell) in shown
    # The cell page's explanation: the cell row and its statements (one cell, the groups
    # where a total and its parts meet, to keep the run short).
    groups = {str(g) for g in scores.groups()} & {"all", "organisation", "managers"}
    for cell in ("KP1",):
        for group in sorted(groups):
            explained = explain_cell(answers, cell=cell, group=group, min_group_size=threshold)
            if not explained["suppressed"]:
                assert ("", group, "cell", cell) in shown
            for statement in explained["statements"]:
                if statement["n_answers"] is not None:
                    assert ("", group, "statement", statement["statement"]) in shown
    # The department filter: only listed departments, each once, and their cell scores.
    listed = listed_departments(answers, threshold=threshold)
    assert len(listed) == len(set(listed))
    for department in {d for d in answers["department"] if d}:
        try:
            in_department = score_round(answers, min_group_size=threshold, department=department)
        except ThresholdRefused:
            assert department not in listed
            continue
        assert department in listed
        shown.add((department, "all", "overall", None))
        for group, unit in in_department.cells.index:
            row = in_department.cell(str(unit), str(group))
            if _shown(row):
                assert row["dist_1"] is None  # a department shows no distributions
                shown.add((department, str(group), "cell", str(unit)))
    return shown


# --- the independent checker -----------------------------------------------------------------


def _members(answers: pd.DataFrame, scope: str, group: str) -> pd.DataFrame:
    rows = answers if not scope else answers[answers["department"] == scope]
    if group == "all":
        return rows
    if group == "organisation":
        return rows[rows["group"].isin(INTERNAL)]
    return rows[rows["group"] == group]


def figure_sets(answers: pd.DataFrame, key: tuple) -> dict:
    """Per quantity: the elements behind one figure (respondents, or answers as pairs)."""
    scope, group, kind, unit = key
    rows = _members(answers, scope, group)
    if kind == "overall":
        part = rows
    elif kind == "statement":
        part = rows[rows["statement"] == unit]
    else:
        part = rows[rows[kind] == unit]
    given_score = part[part["level"].notna()]
    people = frozenset((r, None) for r in given_score["respondent"])
    answered = frozenset(zip(given_score["respondent"], given_score["statement"], strict=True))
    every = frozenset(zip(part["respondent"], part["statement"], strict=True))
    cell = STATEMENTS[unit] if kind == "statement" else unit
    if kind in ("overall", "domain") or scope:
        return {("respondents", kind, unit): people}
    if kind == "cell":
        return {
            ("respondents", "cell", unit): people,
            ("answers", cell): answered,
            ("answers incl. n/a", cell): every,
        }
    return {("answers", cell): answered, ("answers incl. n/a", cell): every}


def _respondents(elements) -> int:
    return len({element[0] for element in elements})


def find_recoverable_group(answers: pd.DataFrame, shown: set[tuple], threshold: int):
    """A published set, or a union of two disjoint ones, minus disjoint published subsets,
    that leaves 1 … threshold−1 respondents; None when there is none."""
    quantities: dict = {}
    for key in shown:
        for quantity, members in figure_sets(answers, key).items():
            if members:
                quantities.setdefault(quantity, set()).add(members)
    for quantity, sets in quantities.items():
        sets = sorted(sets, key=len, reverse=True)
        totals = list(sets) + [
            a | b for i, a in enumerate(sets) for b in sets[i + 1 :] if not a & b
        ]
        for total in totals:
            if 0 < _respondents(total) < threshold:
                return quantity, total, ()
            parts = [s for s in sets if s < total]
            found = _subtract(total, parts, threshold, (), 0)
            if found is not None:
                return quantity, total - frozenset().union(*found), found
    return None


def _subtract(rest: frozenset, parts: list, threshold: int, taken: tuple, start: int, weigh=None):
    """Disjoint published parts whose removal leaves 1 … threshold−1 (by ``weigh``, the
    number of respondents unless given), or None."""
    weigh = weigh or _respondents
    for index in range(start, len(parts)):
        part = parts[index]
        if part <= rest:
            left = rest - part
            if 0 < weigh(left) < threshold:
                return (*taken, part)
            found = _subtract(left, parts, threshold, (*taken, part), index + 1, weigh)
            if found is not None:
                return found
    return None


# --- the proof -------------------------------------------------------------------------------


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rounds())
def test_no_published_difference_reveals_a_small_group(round_):
    answers, threshold = round_
    shown = published_figures(answers, threshold)
    assert find_recoverable_group(answers, shown, threshold) is None


# --- the checker is honest: it finds today's leaks under a threshold-only rule ------------------


def _issue_round() -> pd.DataFrame:
    """Threshold 5: board 5, managers 4, staff 9 (own organisation 18), partners 3, tenants 20."""
    rows, respondent = [], 0
    for group, n, level in (
        ("board", 5, 4.0),
        ("managers", 4, 2.0),
        ("staff", 9, 3.0),
        ("partners", 3, 1.0),
        ("tenants", 20, 3.0),
    ):
        for _i in range(n):
            respondent += 1
            rows.append((respondent, group, "", "KP1.1", "KP1", "KP", level))
    return pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))


def _threshold_only(answers: pd.DataFrame, threshold: int) -> set[tuple]:
    """What was published before: every group of at least the threshold."""
    keys = set()
    for group in ("all", "organisation", *GROUPS):
        for kind, unit in (("cell", "KP1"), ("statement", "KP1.1"), ("overall", None)):
            key = ("", group, kind, unit)
            people = next(iter(figure_sets(answers, key).values()))
            if _respondents(people) >= threshold:
                keys.add(key)
    return keys


def test_checker_finds_the_leak_of_a_threshold_only_rule():
    answers = _issue_round()
    found = find_recoverable_group(answers, _threshold_only(answers, 5), 5)
    assert found is not None
    _quantity, leaked, _parts = found
    leaked_groups = set(answers[answers["respondent"].isin({e[0] for e in leaked})]["group"])
    assert leaked_groups in ({"managers"}, {"partners"})
    assert _respondents(leaked) in (3, 4)


def test_the_issue_round_is_safe_under_disclosure_control():
    answers = _issue_round()
    shown = published_figures(answers, 5)
    assert find_recoverable_group(answers, shown, 5) is None
    assert ("", "tenants", "cell", "KP1") in shown and ("", "staff", "cell", "KP1") in shown
    assert ("", "managers", "cell", "KP1") not in shown
    assert ("", "partners", "cell", "KP1") not in shown
