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
    """Text columns as categories, factorised once: every later groupby works on codes."""
    frame = answers.copy(deep=False)
    for column in ("statement", "cell", "domain", "department"):
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].fillna("").astype("category")
    groups = sorted({str(g) for g in frame["group"].unique()} | {ALL, ORGANISATION})
    frame["group"] = pd.Categorical(frame["group"].astype(str), categories=groups)
    frame["level"] = frame["level"].astype("float64")
    return frame


def group_members(answers: pd.DataFrame, group: str) -> pd.DataFrame:
    if group == ALL:
        return answers
    if group == ORGANISATION:
        return answers[answers["group"].isin(INTERNAL_GROUPS)]
    return answers[answers["group"] == group]


def unit_table(
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
