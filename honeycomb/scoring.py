"""Scoring: pure functions from an answers DataFrame to scores, with the anonymity threshold.

Input columns (ANSWER_COLUMNS): respondent, group, department, statement, cell, domain, level.
``level`` is 1..5, or NaN for "not applicable / don't know" (counted, never scored).
Everything is vectorised: one groupby per unit and group, no loops over answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

ANSWER_COLUMNS = ("respondent", "group", "department", "statement", "cell", "domain", "level")
ALL = "all"
ORGANISATION = "organisation"
INTERNAL_GROUPS = ("board", "managers", "staff")
DEFAULT_GAP_PAIRS = (
    ("managers", "staff"),
    (ORGANISATION, "tenants"),
    (ORGANISATION, "partners"),
    ("board", "staff"),
)
DISAGREEMENT_SPREAD = 1.0
LEVELS = (1, 2, 3, 4, 5)
DIST_COLUMNS = [f"dist_{n}" for n in LEVELS]
FIGURE_COLUMNS = ["mean", "median", "spread", "n_answers", "na_answers", *DIST_COLUMNS]

RULES = {
    "statement_score": _(
        "Statement score: the mean and median of all answers on the 1–5 scale; 'not applicable / don't know' is left out."
    ),
    "cell_score": _(
        "Cell score: first each respondent's mean over the cell's answered statements, then the mean and median of those respondent means, so every respondent weighs equally."
    ),
    "domain_score": _(
        "Domain score: each respondent's mean over the domain's answered statements, then the mean and median over respondents."
    ),
    "overall_score": _(
        "Overall score: each respondent's mean over all answered statements, then the mean over respondents."
    ),
    "spread": _(
        "Spread: the standard deviation of the respondent means. From 1.0 respondents clearly disagree."
    ),
    "distribution": _("Distribution: the number of answers per level 1 to 5."),
    "threshold": _(
        "Anonymity: a figure based on fewer respondents than the round's minimum group size is not shown anywhere."
    ),
    "gap": _(
        "Perception gap: the difference between the cell scores of two groups; from 0.75 it is marked as large."
    ),
}


class ThresholdRefused(Exception):
    """A filter would show figures of fewer respondents than the threshold."""

    def __init__(self, n: int, min_group_size: int):
        self.n = n
        self.min_group_size = min_group_size
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        return str(
            _(
                "This selection has fewer than %(min)s respondents, so no results can be shown for it."
            )
            % {"min": self.min_group_size}
        )


def empty_answers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": pd.Series(dtype="int64"),
            "group": pd.Series(dtype="object"),
            "department": pd.Series(dtype="object"),
            "statement": pd.Series(dtype="object"),
            "cell": pd.Series(dtype="object"),
            "domain": pd.Series(dtype="object"),
            "level": pd.Series(dtype="float64"),
        }
    )


def _with_pseudo_groups(answers: pd.DataFrame) -> pd.DataFrame:
    """Rows repeated for "all" and "organisation" (board + managers + staff)."""
    everyone = answers.assign(group=ALL)
    internal = answers[answers["group"].isin(INTERNAL_GROUPS)].assign(group=ORGANISATION)
    return pd.concat([answers, everyone, internal], ignore_index=True)


def _unit_table(
    frame: pd.DataFrame, keys: list[str], unit: str | None, min_group_size: int
) -> pd.DataFrame:
    """Scores per ``keys`` (+ unit): respondent means first, then over respondents."""
    unit_keys = [*keys, unit] if unit else list(keys)
    if frame.empty:
        return pd.DataFrame(
            columns=[*FIGURE_COLUMNS, "n_respondents", "suppressed", "disagreement"]
        )
    scored = frame[frame["level"].notna()]
    per_respondent = scored.groupby([*unit_keys, "respondent"], observed=True, sort=False)[
        "level"
    ].mean()
    over = per_respondent.groupby(level=list(range(len(unit_keys))), observed=True, sort=False)
    table = pd.DataFrame(
        {
            "mean": over.mean(),
            "median": over.median(),
            "spread": over.std(ddof=1),
            "n_respondents": over.size(),
        }
    )
    grouped = frame.groupby(unit_keys, observed=True, sort=False)
    counts = pd.DataFrame(
        {
            "n_answers": grouped["level"].count(),
            "na_answers": grouped["level"].size() - grouped["level"].count(),
        }
    )
    rounded = scored.assign(level=scored["level"].round().clip(1, 5).astype("int64"))
    dist = (
        rounded.groupby([*unit_keys, "level"], observed=True, sort=False)
        .size()
        .unstack("level", fill_value=0)
    )
    dist = dist.reindex(columns=list(LEVELS), fill_value=0)
    dist.columns = DIST_COLUMNS
    table = counts.join(table, how="left").join(dist, how="left")
    table["n_respondents"] = table["n_respondents"].fillna(0).astype("int64")
    table[DIST_COLUMNS] = table[DIST_COLUMNS].fillna(0)
    table["suppressed"] = table["n_respondents"] < min_group_size
    table["disagreement"] = (table["spread"] >= DISAGREEMENT_SPREAD) & ~table["suppressed"]
    table.loc[table["suppressed"], FIGURE_COLUMNS] = np.nan
    return table.sort_index()


@dataclass(frozen=True)
class RoundScores:
    statements: pd.DataFrame
    cells: pd.DataFrame
    domains: pd.DataFrame
    overall: pd.DataFrame
    gaps: pd.DataFrame
    departments: pd.DataFrame
    min_group_size: int

    def cell(self, code: str, group: str = ALL) -> dict:
        return _row(self.cells, (group, code))

    def domain(self, code: str, group: str = ALL) -> dict:
        return _row(self.domains, (group, code))

    def statement(self, code: str, group: str = ALL) -> dict:
        return _row(self.statements, (group, code))

    def groups(self) -> list[str]:
        if self.overall.empty:
            return []
        return [str(g) for g in self.overall.index.get_level_values(0)]

    def cell_means(self, group: str = ALL) -> pd.Series:
        if self.cells.empty or group not in self.cells.index.get_level_values(0):
            return pd.Series(dtype="float64")
        return self.cells.xs(group, level=0)["mean"]


def _row(table: pd.DataFrame, key) -> dict:
    try:
        row = table.loc[key]
    except KeyError:
        return {}
    return {
        k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.to_dict().items()
    }


def score_round(
    answers: pd.DataFrame,
    *,
    min_group_size: int,
    gap_pairs=DEFAULT_GAP_PAIRS,
    gap_threshold: float = 0.75,
) -> RoundScores:
    frame = _with_pseudo_groups(answers) if not answers.empty else answers
    statements = _unit_table(frame, ["group"], "statement", min_group_size)
    cells = _unit_table(frame, ["group"], "cell", min_group_size)
    domains = _unit_table(frame, ["group"], "domain", min_group_size)
    overall = _unit_table(frame, ["group"], None, min_group_size)
    if not answers.empty:
        cell_of = answers.drop_duplicates("statement").set_index("statement")
        statements = statements.join(cell_of[["cell", "domain"]], on="statement")
        domain_of = answers.drop_duplicates("cell").set_index("cell")["domain"]
        cells = cells.join(domain_of, on="cell")
    with_department = (
        answers[answers["department"].fillna("") != ""] if not answers.empty else answers
    )
    departments = _unit_table(with_department, ["department"], "cell", min_group_size)
    gaps = _gaps(cells, gap_pairs, gap_threshold)
    return RoundScores(statements, cells, domains, overall, gaps, departments, min_group_size)


def _gaps(cells: pd.DataFrame, pairs, threshold: float) -> pd.DataFrame:
    columns = ["cell", "a", "b", "mean_a", "mean_b", "gap", "flagged"]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    means = cells["mean"].unstack("group")
    frames = []
    for a, b in pairs:
        if a not in means.columns or b not in means.columns:
            continue
        frame = pd.DataFrame(
            {
                "cell": means.index,
                "a": a,
                "b": b,
                "mean_a": means[a].values,
                "mean_b": means[b].values,
            }
        )
        frame["gap"] = frame["mean_a"] - frame["mean_b"]
        frame["flagged"] = frame["gap"].abs() >= threshold
        frame["flagged"] = frame["flagged"].fillna(False).astype(bool)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def filter_answers(
    answers: pd.DataFrame,
    *,
    groups: list[str] | None = None,
    department: str | None = None,
    min_group_size: int,
) -> pd.DataFrame:
    """Narrow the answers; refuse (ThresholdRefused) a selection below the threshold."""
    mask = pd.Series(True, index=answers.index)
    if groups:
        mask &= answers["group"].isin(groups)
    if department:
        mask &= answers["department"] == department
    selected = answers[mask]
    n = selected.loc[selected["level"].notna(), "respondent"].nunique()
    if n < min_group_size:
        raise ThresholdRefused(n, min_group_size)
    return selected


def explain_cell(
    answers: pd.DataFrame, *, cell: str, group: str = ALL, min_group_size: int
) -> dict:
    """How a cell score was computed: its statements, the counts and the rule."""
    frame = _with_pseudo_groups(answers) if not answers.empty else answers
    part = frame[(frame["group"] == group) & (frame["cell"] == cell)] if not frame.empty else frame
    n = int(part.loc[part["level"].notna(), "respondent"].nunique()) if not part.empty else 0
    suppressed = n < min_group_size
    statements = []
    if not part.empty:
        for code, rows in part.groupby("statement", sort=True):
            statements.append(
                {
                    "statement": code,
                    "n_answers": None if suppressed else int(rows["level"].count()),
                    "na_answers": None if suppressed else int(rows["level"].isna().sum()),
                    "mean": None
                    if suppressed or rows["level"].count() == 0
                    else float(rows["level"].mean()),
                }
            )
    scores = (
        _unit_table(part, ["group"], "cell", min_group_size) if not part.empty else pd.DataFrame()
    )
    row = _row(scores, (group, cell)) if not scores.empty else {}
    return {
        "rule": str(RULES["cell_score"]),
        "threshold_rule": str(RULES["threshold"]),
        "statements": statements,
        "n_respondents": n,
        "mean": None if suppressed else row.get("mean"),
        "median": None if suppressed else row.get("median"),
        "suppressed": suppressed,
        "threshold": min_group_size,
    }


def score_changes(current: RoundScores, previous: RoundScores, group: str = ALL) -> pd.Series:
    """Per cell: current mean minus previous mean (NaN where either is missing or suppressed)."""
    now, before = current.cell_means(group), previous.cell_means(group)
    return (
        now.sub(before, fill_value=np.nan).dropna() if not now.empty else pd.Series(dtype="float64")
    )
