"""Where to act first: every cell ranked by its gap to the ambition, and three priorities
derived from that table. Pure functions on chart cells; the improvement cycle's open-action
counts come in as an argument (the honeycomb never reads actions itself)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .chart_formats import fmt_change, fmt_score
from .chart_geometry import HexCell


@dataclass(frozen=True)
class PriorityRow:
    code: str
    label: str
    domain: str
    score: float
    target: int | None
    gap: float | None  # ambition minus the shown score; None without an ambition
    change: float | None
    change_clear: bool
    open_actions: int

    @property
    def gap_text(self) -> str:
        return "–" if self.gap is None else fmt_score(self.gap) if self.gap > 0 else "0"

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "–"
        return fmt_change(self.change) if self.change_clear else _("no clear change")


def priority_rows(
    cells: Sequence[HexCell], open_actions: Mapping[str, int] | None = None
) -> list[PriorityRow]:
    """Shown cells, largest gap to the ambition first; cells without an ambition after those
    with one, lowest score first."""
    rows = []
    for cell in cells:
        if cell.suppressed or cell.score is None:
            continue
        shown = round(cell.score, 1)  # the gap of the shown numbers, as in the table
        rows.append(
            PriorityRow(
                code=cell.code,
                label=cell.label,
                domain=cell.domain_label,
                score=cell.score,
                target=cell.target,
                gap=None if cell.target is None else round(cell.target - shown, 1),
                change=cell.change,
                change_clear=cell.change_clear,
                open_actions=(open_actions or {}).get(cell.code, 0),
            )
        )
    rows.sort(key=lambda r: (r.gap is None, -(r.gap or 0), round(r.score, 1), r.label))
    return rows


def derived_priorities(rows: Sequence[PriorityRow], gaps: Sequence[dict]) -> list[str]:
    """Three sentences: the largest gap to the ambition, the weakest cell nobody is working
    on, the largest difference between groups (``presenters.gap_rows``). Ties are named."""
    out = []
    behind = [r for r in rows if r.gap is not None and r.gap > 0]
    if behind:
        top = behind[0]
        out.append(
            _(
                "Largest gap to the ambition: %(cell)s (%(score)s, ambition %(target)s: %(gap)s to go)."
            )
            % {
                "cell": top.label,
                "score": fmt_score(top.score),
                "target": top.target,
                "gap": fmt_score(top.gap or 0),
            }
        )
    idle = [r for r in rows if r.open_actions == 0]
    if idle:
        low = min(round(r.score, 1) for r in idle)
        weakest = [r for r in idle if round(r.score, 1) == low]
        names = ", ".join(r.label for r in weakest)
        out.append(
            ngettext(
                "Weakest cell without open actions: %(cells)s (%(score)s).",
                "Weakest cells without open actions: %(cells)s (each %(score)s).",
                len(weakest),
            )
            % {"cells": names, "score": fmt_score(low)}
        )
    if gaps:
        gap = gaps[0]
        out.append(
            _(
                "Largest difference between groups: %(cell)s, %(higher)s (%(high)s) scores higher than %(lower)s (%(low)s)."
            )
            % {
                "cell": gap["cell"],
                "higher": gap["higher"],
                "high": fmt_score(gap["higher_score"]),
                "lower": gap["lower"],
                "low": fmt_score(gap["lower_score"]),
            }
        )
    return out
