"""Pulse figures, pure: sums of grades in, figures out (no database).

Aedes/KWH conventions: grades 1–10, a grade of 5 or lower is dissatisfied, more than 15 %
dissatisfied means the basic process is not in order. A mean grade is published from the
organisation's threshold; its confidence interval only from 30 responses."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


@dataclass(slots=True)
class Stats:
    """The sums a grade figure is computed from: count, sum, sum of squares and the number of
    dissatisfied grades. Sums add up, so months, partners and moments can be combined; ``+``
    makes a new one (never changed in place)."""

    n: int = 0
    total: int = 0
    squares: int = 0
    dissatisfied: int = 0

    def __add__(self, other: Stats) -> Stats:
        return Stats(
            self.n + other.n,
            self.total + other.total,
            self.squares + other.squares,
            self.dissatisfied + other.dissatisfied,
        )


def total(parts: list[Stats]) -> Stats:
    return sum(parts, Stats())


def figure_from_stats(stats: Stats, *, threshold: int) -> GradeFigure:
    n = stats.n
    if n < threshold or n == 0:
        return GradeFigure(n=n, suppressed=True)
    mean = stats.total / n
    low = high = None
    if n >= INTERVAL_FROM:
        # Sample variance from the sums, in whole numbers until the one division.
        variance = (n * stats.squares - stats.total * stats.total) / (n * (n - 1))
        half = Z95 * math.sqrt(max(variance, 0.0)) / math.sqrt(n)
        low, high = round(mean - half, 1), round(mean + half, 1)
    share = stats.dissatisfied / n
    return GradeFigure(
        n=n, suppressed=False, mean=round(mean, 1), low=low, high=high, dissatisfied_share=share
    )


def rolled_up(stats: dict[str, Stats], *, threshold: int) -> dict[str, GradeFigure]:
    """One figure per unit (partner, area, moment), units in the order given. Units under the
    threshold are not published on their own; they roll up into "other" (itself suppressed when
    still too small), so no unit can be recovered by subtracting the others from the total."""
    out: dict[str, GradeFigure] = {}
    small: list[Stats] = []
    for key, part in stats.items():
        figure = figure_from_stats(part, threshold=threshold)
        if figure.suppressed:
            small.append(part)
        else:
            out[key] = figure
    if small:
        out["__other__"] = figure_from_stats(total(small), threshold=threshold)
        if out["__other__"].suppressed and len(out) > 1:
            # The rest is too small: publishing the total would reveal it by subtraction, so
            # the smallest published unit is folded in as well.
            smallest = min((k for k in out if k != "__other__"), key=lambda k: out[k].n)
            del out[smallest]
            out["__other__"] = figure_from_stats(
                total(small + [stats[smallest]]), threshold=threshold
            )
    return out
