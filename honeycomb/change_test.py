"""Which changes since the previous round are real: a change counts only when it is larger
than its uncertainty.

Each round asks other people (or the same people again, who answer differently on another
day), so two rounds' scores differ a little even when nothing changed. The rule: the 95 %
interval of the difference of the two rounds' respondent means (Welch: each round's spread
and number of respondents, t-distribution with Welch–Satterthwaite degrees of freedom) must
lie wholly above or wholly below zero. Otherwise the page says "no clear change".
Pure functions on shown figures: a hidden figure gives no verdict at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

# Two-sided 95 % quantiles of Student's t by degrees of freedom; between rows the lower
# degrees of freedom are used (the wider interval: never claim a change too easily).
T_975 = (
    (1, 12.706),
    (2, 4.303),
    (3, 3.182),
    (4, 2.776),
    (5, 2.571),
    (6, 2.447),
    (7, 2.365),
    (8, 2.306),
    (9, 2.262),
    (10, 2.228),
    (12, 2.179),
    (15, 2.131),
    (20, 2.086),
    (25, 2.060),
    (30, 2.042),
    (40, 2.021),
    (60, 2.000),
    (120, 1.980),
)
Z_975 = 1.960


class Shown(Protocol):
    """A figure as the test reads it (read only, so a frozen Figure fits)."""

    @property
    def shown(self) -> bool: ...
    @property
    def mean(self) -> float | None: ...
    @property
    def spread(self) -> float | None: ...
    @property
    def n(self) -> int | None: ...


@dataclass(frozen=True)
class ChangeVerdict:
    change: float  # latest minus previous mean
    low: float  # the 95 % interval of that difference
    high: float

    @property
    def clear(self) -> bool:
        return self.low > 0 or self.high < 0

    @property
    def margin(self) -> float:
        return (self.high - self.low) / 2


def t_quantile(df: float) -> float:
    if not math.isfinite(df) or df > T_975[-1][0]:
        return Z_975
    chosen = T_975[0][1]
    for degrees, value in T_975:
        if degrees <= df:
            chosen = value
    return chosen


def change_verdict(now: Shown, before: Shown) -> ChangeVerdict | None:
    """The change of a figure between two rounds with its 95 % interval; None when either
    figure is hidden or has fewer than two respondents (no spread to judge by)."""
    if not (now.shown and before.shown):
        return None
    if now.mean is None or before.mean is None or now.spread is None or before.spread is None:
        return None
    n1, n2 = now.n or 0, before.n or 0
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = now.spread**2 / n1, before.spread**2 / n2
    error = math.sqrt(v1 + v2)
    change = now.mean - before.mean
    if error == 0:
        return ChangeVerdict(change, change, change)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)) if v1 + v2 else math.inf
    margin = t_quantile(df) * error
    return ChangeVerdict(change, change - margin, change + margin)


class HasCells(Protocol):
    def cell(self, code: str, group: str = ...) -> Shown: ...


def change_verdicts(
    now: HasCells, before: HasCells | None, codes: list[str], group: str
) -> dict[str, ChangeVerdict]:
    """Per cell the verdict on its change; cells without one are left out."""
    if before is None:
        return {}
    out = {}
    for code in codes:
        verdict = change_verdict(now.cell(code, group), before.cell(code, group))
        if verdict is not None:
            out[code] = verdict
    return out


def clear_codes(verdicts: Mapping[str, ChangeVerdict]) -> set[str]:
    return {code for code, verdict in verdicts.items() if verdict.clear}
