"""The vectorised score tables behind ``score_round``: one table of scores per key (group or
department) and unit (statement, cell, domain or the whole round)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .scoring_rules import (
    ALL,
    DISAGREEMENT_SPREAD,
    FIGURE_COLUMNS,
    INTERNAL_GROUPS,
    LEVELS,
    ORGANISATION,
)


def as_categorical(answers: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories, factorised once: every later groupby works on codes. Columns
    that already are categories (as ``selectors`` loads them) keep their codes."""
    frame = answers.copy(deep=False)
    for column in ("statement", "cell", "domain", "department"):
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].fillna("").astype("category")
    group = frame["group"]
    if isinstance(group.dtype, pd.CategoricalDtype):
        names = {str(g) for g in group.cat.categories}
        groups = sorted(names | {ALL, ORGANISATION})
        if list(group.cat.categories) != groups:
            frame["group"] = group.cat.rename_categories(str).cat.set_categories(groups)
    else:
        groups = sorted({str(g) for g in group.unique()} | {ALL, ORGANISATION})
        frame["group"] = pd.Categorical(group.astype(str), categories=groups)
    if frame["level"].dtype != np.float64:
        frame["level"] = frame["level"].astype("float64")
    return frame


def group_members(answers: pd.DataFrame, group: str) -> pd.DataFrame:
    if group == ALL:
        return answers
    if group == ORGANISATION:
        return answers[answers["group"].isin(INTERNAL_GROUPS)]
    return answers[answers["group"] == group]


def _used_codes(column: pd.Series, *, drop_unused: bool) -> tuple[np.ndarray, list]:
    """A categorical column's codes and category names, optionally without the categories no
    row uses (counted, not sorted: pandas' remove_unused_categories sorts every code)."""
    codes = column.cat.codes.to_numpy().astype(np.int64)
    names = list(column.cat.categories)
    if not drop_unused:
        return codes, names
    used = np.bincount(codes, minlength=len(names)) > 0
    if used.all():
        return codes, names
    renumber = np.cumsum(used) - 1
    return renumber[codes], [name for name, kept in zip(names, used, strict=True) if kept]


class Prepared:
    """What every score table of one frame needs, computed once: respondent numbers, levels,
    which answers are scored and the level bin (0: not applicable) of each answer."""

    def __init__(self, frame: pd.DataFrame):
        self.respondent_codes, respondents = pd.factorize(frame["respondent"].to_numpy())
        self.respondents = len(respondents)
        self.levels = frame["level"].to_numpy(dtype="float64")
        self.answered = ~np.isnan(self.levels)
        self.scored = np.where(self.answered, self.levels, 0.0)
        self.level_bins = np.where(
            self.answered, np.clip(np.rint(np.nan_to_num(self.levels)), 1, 5), 0
        ).astype(np.int64)


def unit_table(
    frame: pd.DataFrame,
    keys: list[str],
    unit: str | None,
    min_group_size: int,
    prepared: Prepared | None = None,
) -> pd.DataFrame:
    """Scores per (key, unit). ``frame`` is categorical and holds no pseudo-group rows: the
    "all" and "organisation" rows are added from per-respondent results, which are small.
    ``prepared``: the frame's ``Prepared`` when several tables are made of one frame.

    Vectorised with bincount on integer codes: respondent means first, then over respondents."""
    columns = [*FIGURE_COLUMNS, "n_respondents", "suppressed", "disagreement"]
    key = keys[0]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    key_codes, key_names = _used_codes(frame[key], drop_unused=key != "group")
    if unit:
        unit_codes, unit_names = _used_codes(frame[unit], drop_unused=True)
    else:
        unit_codes, unit_names = np.zeros(len(frame), dtype=np.int64), [None]
    n_units = len(unit_names)
    prepared = prepared or Prepared(frame)
    answered, level_bins = prepared.answered, prepared.level_bins

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

    # Respondent means per unit, then over respondents per (key, unit), the pseudo groups
    # included: one sort by (key, unit, mean) gives the medians, sums run over sorted runs.
    respondent_codes = prepared.respondent_codes
    cell_key = respondent_codes.astype(np.int64) * n_units + unit_codes
    size = prepared.respondents * n_units
    sums = np.bincount(cell_key, weights=prepared.scored, minlength=size)
    n = np.bincount(cell_key, weights=answered, minlength=size)
    present = np.nonzero(n > 0)[0]
    owner = np.empty(prepared.respondents, dtype=np.int64)
    owner[respondent_codes] = key_codes
    k_of, u_of, means = owner[present // n_units], present % n_units, sums[present] / n[present]
    # The respondent means as codes of their few distinct values (hashed once, not sorted).
    value_codes, values = pd.factorize(means)
    parts_k, parts_u, parts_v = [k_of], [u_of], [value_codes]
    for name, members in pseudo.items():
        idx = key_names.index(name)
        inside = (
            np.ones(len(k_of), dtype=bool)
            if members is None
            else np.isin(k_of, [key_names.index(m) for m in members if m in key_names])
        )
        parts_k.append(np.full(int(inside.sum()), idx, dtype=np.int64))
        parts_u.append(u_of[inside])
        parts_v.append(value_codes[inside])
    table = _respondent_stats(
        np.concatenate(parts_k) * n_units + np.concatenate(parts_u),
        np.concatenate(parts_v),
        np.asarray(values, dtype=np.float64),
        len(key_names) * n_units,
    )

    # Every (key, unit) with any answer row, answered or not; figures below the threshold
    # blanked in numpy, and one DataFrame built at the end.
    totals = counts.sum(axis=2)
    k_idx, u_idx = np.nonzero(totals)
    flat = k_idx * n_units + u_idx
    n_respondents = table["n_respondents"][flat]
    suppressed = n_respondents < min_group_size
    spread = table["spread"][flat]
    disagreement = (spread >= DISAGREEMENT_SPREAD) & ~suppressed
    figures = {
        "mean": table["mean"][flat],
        "median": table["median"][flat],
        "spread": spread,
        "n_answers": counts[k_idx, u_idx, 1:].sum(axis=1).astype("float64"),
        "na_answers": counts[k_idx, u_idx, 0].astype("float64"),
        **{f"dist_{level}": counts[k_idx, u_idx, level].astype("float64") for level in LEVELS},
    }
    for values in figures.values():
        values[suppressed] = np.nan
    names_k = np.array(key_names, dtype=object)[k_idx]
    if unit:
        index = pd.MultiIndex.from_arrays(
            [names_k, np.array(unit_names, dtype=object)[u_idx]], names=[key, unit]
        )
    else:
        index = pd.Index(names_k, name=key)
    out = pd.DataFrame(
        {
            **{column: figures[column] for column in FIGURE_COLUMNS},
            "n_respondents": n_respondents.astype("int64"),
            "suppressed": suppressed,
            "disagreement": disagreement,
        },
        index=index,
    )
    # np.nonzero walks keys then units: already in order when both name lists are sorted.
    in_order = key_names == sorted(key_names) and (not unit or unit_names == sorted(unit_names))
    return out if in_order else out.sort_index()


def _respondent_stats(
    group: np.ndarray, codes: np.ndarray, values: np.ndarray, size: int
) -> dict[str, np.ndarray]:
    """Mean, median, spread (sample standard deviation) and count per group number (0 ..
    size-1) of the values ``values[codes]``; NaN where a group has too few. Mean and spread
    are pandas' own group sums (compensated, in the order of the values), so a figure on a
    boundary (a spread of exactly 1.0) comes out as it always did. The median counts: per
    group, how many values of each distinct value, so no sort of the values is needed."""
    mean = np.full(size, np.nan)
    median = np.full(size, np.nan)
    spread = np.full(size, np.nan)
    count = np.bincount(group, minlength=size)
    if len(codes):
        grouped = pd.Series(values[codes]).groupby(group, sort=False)
        means, spreads = grouped.mean(), grouped.std(ddof=1)
        mean[means.index.to_numpy()] = means.to_numpy()
        spread[spreads.index.to_numpy()] = spreads.to_numpy()
        filled = np.flatnonzero(count)
        low, high = (count[filled] - 1) // 2, count[filled] // 2
        ranks = np.argsort(values, kind="stable")
        ordered = values[ranks]
        rank_of = np.empty(len(values), dtype=np.int64)
        rank_of[ranks] = np.arange(len(values))
        if len(filled) * len(values) <= 8_000_000:
            counts = np.bincount(
                group * len(values) + rank_of[codes], minlength=size * len(values)
            ).reshape(size, len(values))[filled]
            below = np.cumsum(counts, axis=1)
            # The k-th smallest (from 0) is the first value with more than k at or below it.
            low_value = ordered[(below > low[:, None]).argmax(axis=1)]
            high_value = ordered[(below > high[:, None]).argmax(axis=1)]
        else:  # many distinct values: one sort by (group, rank)
            order = np.lexsort((rank_of[codes], group))
            starts = np.cumsum(count[filled]) - count[filled]
            in_order = ordered[rank_of[codes][order]]
            low_value, high_value = in_order[starts + low], in_order[starts + high]
        median[filled] = (low_value + high_value) / 2
    return {"mean": mean, "median": median, "spread": spread, "n_respondents": count}
