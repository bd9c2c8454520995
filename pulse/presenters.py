"""Shaping pulse figures for pages (no queries)."""

from __future__ import annotations

from .scoring import DISSATISFIED_LINE, GradeFigure


def figure_row(label: str, figure: GradeFigure) -> dict:
    return {
        "label": label,
        "n": figure.n,
        "suppressed": figure.suppressed,
        "mean": figure.mean,
        "low": figure.low,
        "high": figure.high,
        "dissatisfied_pct": None
        if figure.dissatisfied_share is None
        else round(figure.dissatisfied_share * 100),
        "basic_ok": figure.basic_process_in_order,
        "line_pct": round(DISSATISFIED_LINE * 100),
    }
