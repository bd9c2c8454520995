"""Every scoring rule, computed by hand on small frames."""

import numpy as np
import pandas as pd
import pytest

from honeycomb.scoring import (
    ANSWER_COLUMNS,
    RULES,
    ThresholdRefused,
    empty_answers,
    explain_cell,
    filter_answers,
    score_changes,
    score_round,
)

NA = np.nan


def frame(rows):
    """rows: (respondent, group, department, statement, level); cell = statement prefix."""
    data = [
        (r, g, d, s, s.split(".")[0], s[:2], float(level) if level is not None else NA)
        for r, g, d, s, level in rows
    ]
    return pd.DataFrame(data, columns=list(ANSWER_COLUMNS))


def group_of(n, group, start, answers, department=""):
    """n respondents of one group, each giving ``answers`` {statement: level}."""
    return [
        (start + i, group, department, s, level) for i in range(n) for s, level in answers.items()
    ]


def test_cell_score_weighs_respondents_equally_not_answers():
    # Respondent 1 answers two statements (1 and 1), respondent 2 answers one (5):
    # answer mean would be 7/3 = 2.33; respondent mean is (1 + 5) / 2 = 3.
    rows = [
        (1, "staff", "", "KP1.1", 1),
        (1, "staff", "", "KP1.2", 1),
        (2, "staff", "", "KP1.1", 5),
        (2, "staff", "", "KP1.2", None),
    ]
    scores = score_round(frame(rows), min_group_size=2)
    cell = scores.cell("KP1", "staff")
    assert cell["mean"] == pytest.approx(3.0)
    assert cell["median"] == pytest.approx(3.0)
    assert cell["n_respondents"] == 2 and cell["n_answers"] == 3 and cell["na_answers"] == 1
    assert cell["spread"] == pytest.approx(np.std([1, 5], ddof=1))
    assert cell["disagreement"]
    # Only one respondent answered KP1.2 (the other said "don't know"): below the threshold.
    assert scores.statement("KP1.2", "staff")["mean"] is None
    # The cell's answers minus those of KP1.1 would give that one answer, so KP1.1 (the
    # smaller figure) is hidden as well.
    assert scores.statement("KP1.1", "staff")["suppressed"]
    assert scores.statement("KP1.1", "staff")["mean"] is None


def test_not_applicable_is_never_scored_but_counted():
    rows = group_of(3, "staff", 1, {"KV1.1": None, "KV1.2": 4})
    scores = score_round(frame(rows), min_group_size=3)
    assert scores.cell("KV1", "staff")["mean"] == 4.0
    assert scores.cell("KV1", "staff")["na_answers"] == 3
    assert (
        scores.statement("KV1.1", "staff") == {} or scores.statement("KV1.1", "staff")["suppressed"]
    )


def test_distribution_counts_answers_per_level():
    rows = [(i, "staff", "", "KP1.1", level) for i, level in enumerate([1, 2, 2, 5, 5, 5], start=1)]
    cell = score_round(frame(rows), min_group_size=5).cell("KP1", "staff")
    assert [cell[f"dist_{n}"] for n in range(1, 6)] == [1, 2, 0, 0, 3]


def test_threshold_suppresses_at_min_minus_one_and_shows_at_min():
    rows = group_of(4, "tenants", 1, {"KP1.1": 2}) + group_of(5, "staff", 10, {"KP1.1": 4})
    scores = score_round(frame(rows), min_group_size=5)
    tenants = scores.cell("KP1", "tenants")
    assert (
        tenants["suppressed"]
        and tenants["mean"] is None
        and tenants["dist_2"] is None
        and tenants["n_answers"] is None
    )
    assert scores.statement("KP1.1", "tenants")["mean"] is None
    assert scores.domain("KP", "tenants")["mean"] is None
    assert scores.overall.loc["tenants", "suppressed"]
    staff = scores.cell("KP1", "staff")
    assert not staff["suppressed"] and staff["mean"] == 4.0
    # Everyone minus staff would be the 4 tenants: secondary suppression hides "everyone".
    everyone = scores.cell("KP1", "all")
    assert everyone["suppressed"] and everyone["mean"] is None


def test_domain_and_overall_use_respondent_means():
    rows = [
        (1, "staff", "", "KP1.1", 1),
        (1, "staff", "", "KP2.1", 3),
        (2, "staff", "", "KP1.1", 5),
    ]
    scores = score_round(frame(rows), min_group_size=2)
    assert scores.domain("KP", "staff")["mean"] == pytest.approx((2 + 5) / 2)
    assert scores.overall.loc["staff", "mean"] == pytest.approx(3.5)


def test_organisation_pseudo_group_combines_internal_groups():
    rows = (
        group_of(2, "board", 1, {"KP1.1": 5})
        + group_of(3, "staff", 10, {"KP1.1": 2})
        + group_of(5, "tenants", 20, {"KP1.1": 1})
    )
    cell = score_round(frame(rows), min_group_size=5).cell("KP1", "organisation")
    assert cell["n_respondents"] == 5 and cell["mean"] == pytest.approx((2 * 5 + 3 * 2) / 5)


def test_gaps_are_flagged_only_when_large_and_both_sides_shown():
    rows = (
        group_of(5, "managers", 1, {"KP1.1": 4, "KV1.1": 3})
        + group_of(5, "staff", 10, {"KP1.1": 2, "KV1.1": 3})
        + group_of(4, "tenants", 20, {"KP1.1": 1, "KV1.1": 1})
        + group_of(6, "partners", 30, {"KP1.1": 3, "KV1.1": 3})
    )
    gaps = score_round(frame(rows), min_group_size=5).gaps
    ms = gaps[(gaps.a == "managers") & (gaps.b == "staff")].set_index("cell")
    assert ms.loc["KP1", "gap"] == pytest.approx(2.0) and ms.loc["KP1", "flagged"]
    assert ms.loc["KV1", "gap"] == pytest.approx(0.0) and not ms.loc["KV1", "flagged"]
    ot = gaps[(gaps.a == "organisation") & (gaps.b == "tenants")].set_index("cell")
    assert ot["gap"].isna().all() and not ot["flagged"].any()  # tenants suppressed
    # Everyone minus own organisation minus partners would be the tenants: partners (the
    # smallest figure in that sum) are hidden too, so no gap with them is shown.
    op = gaps[(gaps.a == "organisation") & (gaps.b == "partners")]
    assert op["gap"].isna().all()


def test_departments_are_scored_with_the_threshold():
    rows = (
        group_of(5, "staff", 1, {"KP1.1": 3}, department="Wonen")
        + group_of(2, "staff", 10, {"KP1.1": 5}, department="Vastgoed")
        + group_of(3, "staff", 20, {"KP1.1": 5})
    )
    departments = score_round(frame(rows), min_group_size=5).departments
    assert departments.loc[("Wonen", "KP1"), "mean"] == 3.0
    assert departments.loc[("Vastgoed", "KP1"), "suppressed"]
    assert np.isnan(departments.loc[("Vastgoed", "KP1"), "mean"])
    assert "" not in departments.index.get_level_values(0)


def test_filter_refuses_selection_below_threshold():
    rows = group_of(5, "staff", 1, {"KP1.1": 3}, department="Wonen") + group_of(
        2, "staff", 10, {"KP1.1": 5}, department="Vastgoed"
    )
    answers = frame(rows)
    assert (
        filter_answers(answers, department="Wonen", min_group_size=5)["respondent"].nunique() == 5
    )
    with pytest.raises(ThresholdRefused) as exc:
        filter_answers(answers, department="Vastgoed", min_group_size=5)
    assert exc.value.n == 2 and "5" in exc.value.message
    with pytest.raises(ThresholdRefused):
        filter_answers(answers, groups=["tenants"], min_group_size=5)


def test_explain_cell_traces_statements_counts_and_rule():
    rows = group_of(5, "staff", 1, {"KP1.1": 4, "KP1.2": None})
    explained = explain_cell(frame(rows), cell="KP1", group="staff", min_group_size=5)
    assert explained["rule"] == str(RULES["cell_score"])
    assert explained["n_respondents"] == 5 and explained["mean"] == 4.0
    assert {s["statement"]: (s["n_answers"], s["na_answers"]) for s in explained["statements"]} == {
        "KP1.1": (5, 0),
        "KP1.2": (None, None),  # nobody gave a score: no figures for this statement
    }
    hidden = explain_cell(frame(rows), cell="KP1", group="staff", min_group_size=6)
    assert (
        hidden["suppressed"]
        and hidden["mean"] is None
        and all(s["n_answers"] is None for s in hidden["statements"])
    )


def test_score_changes_between_rounds():
    before = score_round(frame(group_of(5, "staff", 1, {"KP1.1": 2, "KV1.1": 3})), min_group_size=5)
    after = score_round(frame(group_of(5, "staff", 1, {"KP1.1": 3})), min_group_size=5)
    changes = score_changes(after, before)
    assert changes.to_dict() == {"KP1": pytest.approx(1.0)}


def test_empty_input_gives_empty_tables():
    scores = score_round(empty_answers(), min_group_size=5)
    assert scores.cells.empty and scores.gaps.empty and scores.groups() == []
    assert scores.cell("KP1") == {}
