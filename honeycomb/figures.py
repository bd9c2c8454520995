"""One published figure of a round (a cell, domain, statement or overall score of one group),
as every output reads it from a score row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Figure:
    """One published figure (a cell, domain, statement or overall score of one group). When
    ``shown`` is false every number is None: the single "too few answers" rule."""

    shown: bool
    mean: float | None = None
    median: float | None = None
    spread: float | None = None
    n: int | None = None
    answers: int | None = None
    na: int | None = None
    distribution: tuple[int, ...] | None = None
    disagreement: bool = False


HIDDEN = Figure(shown=False)


def number_or_none(value) -> float | None:
    try:
        return None if value is None or pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def figure_of(row: dict) -> Figure:
    """A score row as a figure; a missing or suppressed row shows nothing at all."""
    if not row or row.get("suppressed"):
        return HIDDEN
    return Figure(
        shown=True,
        mean=number_or_none(row.get("mean")),
        median=number_or_none(row.get("median")),
        spread=number_or_none(row.get("spread")),
        n=int(row.get("n_respondents") or 0),
        answers=int(row.get("n_answers") or 0),
        na=int(row.get("na_answers") or 0),
        distribution=tuple(int(row.get(f"dist_{i}") or 0) for i in range(1, 6)),
        disagreement=bool(row.get("disagreement")),
    )
