"""External customer measures (benchmark scores such as repairs or moving in) as small trend
charts: one per measure and source, the organisation's line with the sector average beside
it where the source gives one. Pure functions: rows in, plotly figures out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from scan.periods import quarter_label

from .chart_formats import DARK_TEXT, fmt_score

OWN = "#1d4e89"
SECTOR = "#6b4b00"


@dataclass
class MeasureSeries:
    """One measure from one source over time, oldest first."""

    name: str
    source: str
    scale: int
    periods: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    sector: list[float | None] = field(default_factory=list)

    @property
    def has_sector(self) -> bool:
        return any(v is not None for v in self.sector)


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def measure_series(measures: Iterable, *, limit: int = 8) -> list[MeasureSeries]:
    """Group measure rows (``kind``, ``source``, ``period``, ``period_end``, ``value``,
    ``scale_max``, ``sector_average`` and ``get_kind_display()``) into one series per measure
    and source, each with its latest ``limit`` periods."""
    grouped: dict[tuple[str, str, int], list] = {}
    names: dict[tuple[str, str, int], str] = {}
    for row in measures:
        key = (row.kind, row.source, row.scale_max)
        grouped.setdefault(key, []).append(row)
        names[key] = str(row.get_kind_display())
    out = []
    for key, rows in grouped.items():
        rows = sorted(rows, key=lambda r: (r.period_end, r.period))[-limit:]
        out.append(
            MeasureSeries(
                name=names[key],
                source=key[1],
                scale=key[2],
                periods=[quarter_label(r.period) for r in rows],
                values=[float(r.value) for r in rows],
                sector=[_number(r.sector_average) for r in rows],
            )
        )
    return sorted(out, key=lambda s: (s.name, s.source))


def shared_ranges(all_series: Iterable[MeasureSeries]) -> dict[float, tuple[float, float]]:
    """One y-range per scale (out of 10, out of 5, …) over all measures on it, so charts side
    by side compare at a glance."""
    known: dict[float, list[float]] = {}
    for series in all_series:
        values = series.values + [v for v in series.sector if v is not None]
        known.setdefault(float(series.scale), []).extend(v for v in values if v is not None)
    return {
        scale: (max(0.0, min(values) - 0.5), min(scale, max(values) + 0.5))
        for scale, values in known.items()
        if values
    }


def measure_figure(series: MeasureSeries, y_range: tuple[float, float] | None = None) -> go.Figure:
    """The organisation's line (solid, circles) and, where known, the sector average (dashed,
    squares): told apart by line style and marker as well as colour. ``y_range``: shared with
    the charts beside it (``shared_ranges``)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=series.periods,
            y=series.values,
            name=_("Our score"),
            mode="lines+markers+text",
            text=[fmt_score(v) for v in series.values],
            # The value on the side away from the sector line, so the two never collide.
            textposition=[
                "bottom center" if sector is not None and sector >= value else "top center"
                for value, sector in zip(series.values, series.sector, strict=False)
            ]
            or "top center",
            textfont={"size": 12, "color": DARK_TEXT},
            line={"color": OWN, "width": 2.5},
            marker={"symbol": "circle", "size": 8},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    if series.has_sector:
        fig.add_trace(
            go.Scatter(
                x=series.periods,
                y=series.sector,
                name=_("Sector average"),
                mode="lines+markers",
                connectgaps=True,
                line={"color": SECTOR, "width": 2, "dash": "dash"},
                marker={"symbol": "square", "size": 7},
                customdata=[fmt_score(v) if v is not None else "–" for v in series.sector],
                hovertemplate="%{x}: %{customdata}<extra>" + _("Sector average") + "</extra>",
            )
        )
    known = series.values + [v for v in series.sector if v is not None]
    low = max(0.0, min(known) - 1) if known else 0.0
    high = min(float(series.scale), max(known) + 1) if known else float(series.scale)
    if y_range is not None:
        low, high = y_range
    fig.update_layout(
        title={
            "text": f"<b>{series.name}</b><br><span>{_('Source')}: {series.source}</span>",
            "x": 0.01,
            "font": {"size": 13},
        },
        height=240,
        margin={"l": 8, "r": 8, "t": 56, "b": 8},
        yaxis={"range": [low, high], "title": _("out of %(max)s") % {"max": series.scale}},
        xaxis={"type": "category"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=series.has_sector,
        legend={"orientation": "h", "y": -0.18, "x": 0},
        font={
            "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
            "color": DARK_TEXT,
        },
        dragmode=False,
    )
    fig.update_xaxes(fixedrange=True)
    fig.update_yaxes(fixedrange=True, gridcolor="#e3e7ec")
    return fig
