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


def qr_svg(url: str, *, title: str) -> str:
    """The link as an inline SVG QR code (medium error correction: survives a crease)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=4,
        border=2,
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
        light="#fff",
        title=title,
    )
