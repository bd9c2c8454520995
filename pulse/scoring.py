"""Pulse figures, pure: a DataFrame of responses in, figures out (no database).

Aedes/KWH conventions: grades 1–10, a grade of 5 or lower is dissatisfied, more than 15 %
dissatisfied means the basic process is not in order. A mean grade is published from the
organisation's threshold; its confidence interval only from 30 responses."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

DISSATISFIED_MAX = 5
DISSATISFIED_LINE = 0.15
INTERVAL_FROM = 30
Z95 = 1.96


@dataclass(frozen=True)
class GradeFigure:
    n: int
    suppressed: bool
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    dissatisfied_share: float | None = None

    @property
    def basic_process_in_order(self) -> bool | None:
        if self.dissatisfied_share is None:
            return None
        return self.dissatisfied_share <= DISSATISFIED_LINE


def grade_figure(grades: pd.Series, *, threshold: int) -> GradeFigure:
    grades = grades.dropna()
    n = int(grades.size)
    if n < threshold:
        return GradeFigure(n=n, suppressed=True)
    mean = float(grades.mean())
    low = high = None
    if n >= INTERVAL_FROM:
        half = Z95 * float(grades.std(ddof=1)) / math.sqrt(n)
        low, high = round(mean - half, 1), round(mean + half, 1)
    share = float((grades <= DISSATISFIED_MAX).mean())
    return GradeFigure(
        n=n, suppressed=False, mean=round(mean, 1), low=low, high=high, dissatisfied_share=share
    )


def figures_by(frame: pd.DataFrame, column: str, *, threshold: int) -> dict[str, GradeFigure]:
    """One figure per value of ``column`` (partner, area, moment). Units under the threshold
    are not published on their own; they roll up into "other" (itself suppressed when still
    too small), so no unit can be recovered by subtracting the others from the total."""
    if frame.empty:
        return {}
    out: dict[str, GradeFigure] = {}
    small = []
    for key, part in frame.groupby(column, dropna=False):
        figure = grade_figure(part["grade"], threshold=threshold)
        if figure.suppressed:
            small.append(part)
        else:
            out[str(key)] = figure
    if small:
        out["__other__"] = grade_figure(pd.concat(small)["grade"], threshold=threshold)
        if out["__other__"].suppressed and len(out) > 1:
            # The rest is too small: publishing the total would reveal it by subtraction, so
            # the smallest published unit is folded in as well.
            smallest = min((k for k in out if k != "__other__"), key=lambda k: out[k].n)
            rest = pd.concat(small + [frame[frame[column].astype(str) == smallest]])
            del out[smallest]
            out["__other__"] = grade_figure(rest["grade"], threshold=threshold)
    return out


def monthly_trend(frame: pd.DataFrame, *, threshold: int, months: int = 12) -> list[dict]:
    """Rolling 12-month mean per month (each point covers the 12 months up to it)."""
    if frame.empty:
        return []
    frame = frame.assign(month=pd.to_datetime(frame["month"]))
    last = frame["month"].max()
    points = []
    for offset in range(months - 1, -1, -1):
        end = last - pd.DateOffset(months=offset)
        window = frame[(frame["month"] > end - pd.DateOffset(months=12)) & (frame["month"] <= end)]
        figure = grade_figure(window["grade"], threshold=threshold)
        points.append({"month": end.date(), "figure": figure})
    return points


def driver_shares(
    frame: pd.DataFrame, codes: list[str], *, threshold: int
) -> dict[str, float | None]:
    """Share of "yes" per driver question, from the respondents who answered it."""
    out: dict[str, float | None] = {}
    for code in codes:
        answers = frame["drivers"].map(lambda d, c=code: d.get(c) if isinstance(d, dict) else None)
        answers = answers.dropna()
        out[code] = float(answers.astype(bool).mean()) if answers.size >= threshold else None
    return out
