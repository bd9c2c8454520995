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

from . import published

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
GAP_THRESHOLD = 0.75  # a perception gap from this size on is marked as large
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
    "disclosure": _(
        "Because totals such as 'Own organisation' and 'Everyone' could be used to work out a hidden group by subtraction (a total minus the groups that are shown), some figures of larger groups are hidden as well. The rule: no difference between figures that are shown, and no total minus the parts that are shown, may describe fewer respondents than the minimum group size. This check is done for every cell, statement, domain and department separately, counting only the people who gave a score (not 'not applicable / don't know'). Department lists show no numbers, and figures are rounded as on the pages."
    ),
    "gap": _(
        "Perception gap: the difference between the cell scores of two groups; from %(gap)s it is marked as large."
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


def _categorical(answers: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories, factorised once: every later groupby works on codes."""
    frame = answers.copy(deep=False)
    for column in ("statement", "cell", "domain", "department"):
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].fillna("").astype("category")
    groups = sorted({str(g) for g in frame["group"].unique()} | {ALL, ORGANISATION})
    frame["group"] = pd.Categorical(frame["group"].astype(str), categories=groups)
    frame["level"] = frame["level"].astype("float64")
    return frame


def _members(answers: pd.DataFrame, group: str) -> pd.DataFrame:
    if group == ALL:
        return answers
    if group == ORGANISATION:
        return answers[answers["group"].isin(INTERNAL_GROUPS)]
    return answers[answers["group"] == group]


def _unit_table(
    frame: pd.DataFrame, keys: list[str], unit: str | None, min_group_size: int
) -> pd.DataFrame:
    """Scores per (key, unit). ``frame`` is categorical and holds no pseudo-group rows: the
    "all" and "organisation" rows are added from per-respondent results, which are small.

    Vectorised with bincount on integer codes: respondent means first, then over respondents."""
    columns = [*FIGURE_COLUMNS, "n_respondents", "suppressed", "disagreement"]
    key = keys[0]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    key_cat = frame[key].cat.remove_unused_categories() if key != "group" else frame[key]
    key_codes = key_cat.cat.codes.to_numpy().astype(np.int64)
    key_names = list(key_cat.cat.categories)
    if unit:
        unit_cat = frame[unit].cat.remove_unused_categories()
        unit_codes, unit_names = (
            unit_cat.cat.codes.to_numpy().astype(np.int64),
            list(unit_cat.cat.categories),
        )
    else:
        unit_codes, unit_names = np.zeros(len(frame), dtype=np.int64), [None]
    n_units = len(unit_names)
    levels = frame["level"].to_numpy(dtype="float64")
    answered = ~np.isnan(levels)
    level_bins = np.where(answered, np.clip(np.rint(np.nan_to_num(levels)), 1, 5), 0).astype(
        np.int64
    )

    # Answer counts per (key, unit, level bin); pseudo groups are sums of real groups.
    pseudo = {ALL: None, ORGANISATION: INTERNAL_GROUPS} if key == "group" else {}
    counts = np.bincount(
        (key_codes * n_units + unit_codes) * 6 + level_bins, minlength=len(key_names) * n_units * 6
    )
    counts = counts.reshape(len(key_names), n_units, 6)
    for name, members in pseudo.items():
        idx = key_names.index(name)
        chosen = [
            i
            for i, k in enumerate(key_names)
            if k not in pseudo and (members is None or k in members)
        ]
        counts[idx] = counts[chosen].sum(axis=0)

    # Respondent means per unit.
    respondent_codes, respondents = pd.factorize(frame["respondent"].to_numpy(), sort=False)
    cell_key = respondent_codes.astype(np.int64) * n_units + unit_codes
    size = len(respondents) * n_units
    sums = np.bincount(cell_key, weights=np.where(answered, levels, 0.0), minlength=size)
    n = np.bincount(cell_key, weights=answered.astype(np.float64), minlength=size)
    present = np.nonzero(n > 0)[0]
    owner = np.empty(len(respondents), dtype=np.int64)
    owner[respondent_codes] = key_codes
    per_respondent = pd.DataFrame(
        {
            "k": owner[present // n_units],
            "u": present % n_units,
            "mean": sums[present] / n[present],
        }
    )
    parts = [per_respondent]
    for name, members in pseudo.items():
        idx = key_names.index(name)
        chosen = (
            per_respondent
            if members is None
            else per_respondent[
                per_respondent["k"].isin([key_names.index(m) for m in members if m in key_names])
            ]
        )
        parts.append(chosen.assign(k=idx))
    stacked = pd.concat(parts, ignore_index=True)
    over = stacked.groupby(["k", "u"], sort=True)["mean"]
    table = pd.DataFrame(
        {
            "mean": over.mean(),
            "median": over.median(),
            "spread": over.std(ddof=1),
            "n_respondents": over.size(),
        }
    )

    # Every (key, unit) with any answer row, answered or not.
    totals = counts.sum(axis=2)
    k_idx, u_idx = np.nonzero(totals)
    index = pd.MultiIndex.from_arrays([k_idx, u_idx], names=["k", "u"])
    out = pd.DataFrame(
        {
            "n_answers": counts[k_idx, u_idx, 1:].sum(axis=1).astype("float64"),
            "na_answers": counts[k_idx, u_idx, 0].astype("float64"),
            **{f"dist_{level}": counts[k_idx, u_idx, level].astype("float64") for level in LEVELS},
        },
        index=index,
    ).join(table, how="left")
    out["n_respondents"] = out["n_respondents"].fillna(0).astype("int64")
    out["suppressed"] = out["n_respondents"] < min_group_size
    out["disagreement"] = (out["spread"] >= DISAGREEMENT_SPREAD) & ~out["suppressed"]
    out.loc[out["suppressed"], FIGURE_COLUMNS] = np.nan
    names_k = np.array(key_names, dtype=object)[k_idx]
    if unit:
        out.index = pd.MultiIndex.from_arrays(
            [names_k, np.array(unit_names, dtype=object)[u_idx]], names=[key, unit]
        )
    else:
        out.index = pd.Index(names_k, name=key)
    return out.sort_index()[[*FIGURE_COLUMNS, "n_respondents", "suppressed", "disagreement"]]


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
) -> RoundScores:
    """Scores of a round (or of one department), after disclosure control over all the
    round's published figures: a department's figures are checked together with the whole
    round's, so that neither can be subtracted from the other to reveal a small group."""
    hidden = published.suppressed_figures(answers, threshold=min_group_size)
    scope = published.WHOLE
    if department:
        in_department = answers[answers["department"] == department]
        n = int(in_department.loc[in_department["level"].notna(), "respondent"].nunique())
        if n == 0 or (department, ALL, "overall", None) in hidden:
            raise ThresholdRefused(n, min_group_size)
        answers, scope = in_department, department
    frame = _categorical(answers) if not answers.empty else answers
    statements = _unit_table(frame, ["group"], "statement", min_group_size)
    cells = _unit_table(frame, ["group"], "cell", min_group_size)
    domains = _unit_table(frame, ["group"], "domain", min_group_size)
    overall = _unit_table(frame, ["group"], None, min_group_size)
    if not answers.empty:
        cell_of = answers.drop_duplicates("statement").set_index("statement")
        statements = statements.join(cell_of[["cell", "domain"]], on="statement")
        domain_of = answers.drop_duplicates("cell").set_index("cell")["domain"]
        cells = cells.join(domain_of, on="cell")
    with_department = frame[frame["department"] != ""] if not answers.empty else answers
    departments = _unit_table(with_department, ["department"], "cell", min_group_size)
    if scope == published.WHOLE:
        statements = _hide(statements, lambda g, u: (scope, g, "statement", u) in hidden)
        domains = _hide(domains, lambda g, u: (scope, g, "domain", u) in hidden)
        departments = _hide(departments, lambda d, u: (d, ALL, "cell", u) in hidden)
    else:
        # A department publishes only its cell scores; everything else stays hidden.
        statements, domains, departments = (
            _hide(t, lambda *_key: True) for t in (statements, domains, departments)
        )
        cells = cells.copy()
        cells.loc[:, ["n_answers", "na_answers", *DIST_COLUMNS]] = np.nan
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
    table = table.copy()
    table.loc[mask, "suppressed"] = True
    table.loc[mask, "disagreement"] = False
    table.loc[mask, FIGURE_COLUMNS] = np.nan
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
    part = _members(in_cell, group) if not in_cell.empty else in_cell
    statements = []
    for code in sorted({str(c) for c in part["statement"].unique()}) if not part.empty else []:
        srow = scores.statement(code, group)
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
