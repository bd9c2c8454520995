"""Scoring: pure functions from an answers DataFrame to scores, with the anonymity threshold.

Input columns (ANSWER_COLUMNS): respondent, group, department, statement, cell, domain, level.
``level`` is 1..5, or NaN for "not applicable / don't know" (counted, never scored).
Everything is vectorised: one groupby per unit and group, no loops over answers.

The constants and rules are ``scoring_rules``; the score tables ``scoring_tables``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import published
from .scoring_rules import (
    ALL,
    ANSWER_COLUMNS,
    DEFAULT_GAP_PAIRS,
    DIST_COLUMNS,
    FIGURE_COLUMNS,
    GAP_THRESHOLD,
    INTERNAL_GROUPS,
    ORGANISATION,
    RULES,
    ThresholdRefused,
)
from .scoring_tables import Prepared, as_categorical, group_members, unit_table

# The public names of scoring, wherever they are defined.
__all__ = [
    "ALL",
    "ANSWER_COLUMNS",
    "GAP_THRESHOLD",
    "INTERNAL_GROUPS",
    "ORGANISATION",
    "RULES",
    "RoundScores",
    "ThresholdRefused",
    "empty_answers",
    "explain_cell",
    "filter_answers",
    "score_changes",
    "score_round",
]


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
    gap_threshold: float = GAP_THRESHOLD,
    department: str | None = None,
    hidden: frozenset | None = None,
) -> RoundScores:
    """Scores of a round (or of one department), after disclosure control over all the
    round's published figures: a department's figures are checked together with the whole
    round's, so that neither can be subtracted from the other to reveal a small group.
    ``hidden``: the figures a release decided to hide (checked against earlier releases);
    without it, the answers alone decide."""
    if hidden is None:
        hidden = published.suppressed_figures(answers, threshold=min_group_size)
    scope = published.WHOLE
    if department:
        in_department = answers[answers["department"] == department]
        n = int(in_department.loc[in_department["level"].notna(), "respondent"].nunique())
        if n == 0 or (department, ALL, "overall", None) in hidden:
            raise ThresholdRefused(n, min_group_size)
        answers, scope = in_department, department
    frame = as_categorical(answers) if not answers.empty else answers
    prepared = Prepared(frame) if not answers.empty else None
    statements = unit_table(frame, ["group"], "statement", min_group_size, prepared)
    cells = unit_table(frame, ["group"], "cell", min_group_size, prepared)
    domains = unit_table(frame, ["group"], "domain", min_group_size, prepared)
    overall = unit_table(frame, ["group"], None, min_group_size, prepared)
    if not answers.empty:
        cell_of = answers.drop_duplicates("statement").set_index("statement")
        statements = statements.join(cell_of[["cell", "domain"]], on="statement")
        domain_of = answers.drop_duplicates("cell").set_index("cell")["domain"]
        cells = cells.join(domain_of, on="cell")
    with_department = frame[frame["department"] != ""] if not answers.empty else answers
    departments = unit_table(with_department, ["department"], "cell", min_group_size)
    if scope == published.WHOLE:
        statements = _hide(statements, lambda g, u: (scope, g, "statement", u) in hidden)
        domains = _hide(domains, lambda g, u: (scope, g, "domain", u) in hidden)
        departments = _hide(departments, lambda d, u: (d, ALL, "cell", u) in hidden)
    else:
        # A department publishes only its cell scores; everything else stays hidden.
        statements, domains, departments = (
            _hide(t, lambda *_key: True) for t in (statements, domains, departments)
        )
        everything = np.ones(len(cells), dtype=bool)
        cells = _blank(cells, everything, ["n_answers", "na_answers", *DIST_COLUMNS])
    cells = _hide(cells, lambda g, u: (scope, g, "cell", u) in hidden)
    overall = _hide(overall, lambda g, u=None: (scope, g, "overall", None) in hidden)
    gaps = _gaps(cells, gap_pairs, gap_threshold)
    return RoundScores(statements, cells, domains, overall, gaps, departments, min_group_size)


def _hide(table: pd.DataFrame, is_hidden) -> pd.DataFrame:
    """Mark rows suppressed by disclosure control: no figures, no disagreement flag."""
    if table.empty:
        return table
    keys = table.index.tolist()
    mask = np.array([is_hidden(*(k if isinstance(k, tuple) else (k,))) for k in keys], dtype=bool)
    if not mask.any():
        return table
    return _blank(table, mask)


def _blank(table: pd.DataFrame, mask: np.ndarray, columns=None) -> pd.DataFrame:
    """A copy with the figures of the masked rows blanked (whole columns set at once: far
    cheaper than ``.loc`` with a row mask over many columns)."""
    table = table.copy()
    for column in FIGURE_COLUMNS if columns is None else columns:
        values = table[column].to_numpy(dtype="float64", copy=True)
        values[mask] = np.nan
        table[column] = values
    if columns is None:
        table["suppressed"] = table["suppressed"].to_numpy(dtype=bool) | mask
        table["disagreement"] = table["disagreement"].to_numpy(dtype=bool) & ~mask
    return table


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
    """How a cell score was computed: its statements, the counts and the rules. Every figure
    here passes the same disclosure control as the pages (a cell's figures are checked against
    the other figures of that cell only, so scoring the cell's answers alone is exact)."""
    in_cell = answers[answers["cell"] == cell] if not answers.empty else answers
    scores = score_round(in_cell, min_group_size=min_group_size) if not in_cell.empty else None
    row = scores.cell(cell, group) if scores else {}
    suppressed = not row or bool(row.get("suppressed"))
    part = group_members(in_cell, group) if not in_cell.empty else in_cell
    statements = []
    for code in sorted({str(c) for c in part["statement"].unique()}) if not part.empty else []:
        # answers in the cell, so scores too
        srow = scores.statement(code, group) if scores is not None else {}
        hidden = suppressed or not srow or bool(srow.get("suppressed"))
        statements.append(
            {
                "statement": code,
                "suppressed": hidden,
                "n_answers": None if hidden else int(srow.get("n_answers") or 0),
                "na_answers": None if hidden else int(srow.get("na_answers") or 0),
                "mean": None if hidden else srow.get("mean"),
            }
        )
    return {
        "rule": str(RULES["cell_score"]),
        "threshold_rule": str(RULES["threshold"]),
        "disclosure_rule": str(RULES["disclosure"]),
        "statements": statements,
        "n_respondents": None if suppressed else int(row.get("n_respondents") or 0),
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
