"""The charts beside the honeycomb: differences between groups, the gap to the ambition and
the trend. Pure functions from chart cells to plotly figures; text never under 12 px."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .chart_formats import DARK_TEXT, fmt_change, fmt_score, level_colour
from .chart_geometry import HexCell

GAP_BAR = "#f2b8b5"  # the stretch still to go to the ambition
LARGE_GAP = "#b3261e"
SMALL_GAP = "#6b7685"


def gap_figure(
    cells_a: Sequence[HexCell],
    cells_b: Sequence[HexCell],
    *,
    name_a: str,
    name_b: str,
    threshold: float = 0.75,
) -> go.Figure:
    """Diverging bars of group A minus group B per cell, largest difference on top, on an axis
    fitted to the data, each bar with its value. A bar is red when the shown difference (of
    the one-decimal scores, as in the table) is at least ``threshold``."""
    by_code = {c.code: c for c in cells_b}
    rows = []
    for a in cells_a:
        b = by_code.get(a.code)
        if b is None or a.suppressed or b.suppressed or a.score is None or b.score is None:
            continue
        rows.append((a.label, round(round(a.score, 1) - round(b.score, 1), 1)))
    rows.sort(key=lambda row: -row[1])
    gaps = [gap for _label, gap in rows]
    colours = [LARGE_GAP if abs(gap) >= threshold - 1e-9 else SMALL_GAP for gap in gaps]
    # The axis spans the data (and zero), with room for the value labels.
    low, high = min([*gaps, 0.0]), max([*gaps, 0.0])
    pad = max(high - low, 0.5) * 0.15 + 0.05
    fig = go.Figure(
        go.Bar(
            x=gaps,
            y=[label for label, _gap in rows],
            orientation="h",
            marker={"color": colours},
            text=[fmt_change(gap) for gap in gaps],
            textposition="outside",
            textfont={"size": 13},
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": DARK_TEXT, "width": 1})
    fig.update_layout(
        title={"text": f"{name_a} − {name_b}", "x": 0.01, "font": {"size": 15}},
        height=max(240, 32 * len(rows) + 110),
        margin={"l": 8, "r": 8, "t": 44, "b": 50},
        xaxis={
            "range": [low - (pad if low < 0 else 0.05), high + (pad if high > 0 else 0.05)],
            "zeroline": False,
            "title": {
                "text": _("← %(b)s scores higher · %(a)s scores higher →")
                % {"a": name_a, "b": name_b},
                "font": {"size": 13},
            },
            "tickfont": {"size": 12},
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 13}, "automargin": True},
        font={"size": 12},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False,
    )
    return fig


def _fitted(series: Mapping[str, Sequence[tuple[str, float | None]]], target) -> list[float]:
    values = [v for points in series.values() for _l, v in points if v is not None]
    values += [float(target)] if target is not None else []
    if not values:
        return [1.0, 5.0]
    return [max(1.0, min(values) - 0.5), min(5.0, max(values) + 0.5)]


def trend_figure(
    series: Mapping[str, Sequence[tuple[str, float | None]]],
    *,
    target: float | None = None,
    title: str = "",
) -> go.Figure:
    fig = go.Figure()
    palette = ("#1d4e89", "#b36b00", "#1e6b3a", "#7b2d8b", "#b3261e", "#4a5565")
    for index, (name, points) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(
                x=[label for label, _v in points],
                y=[v for _l, v in points],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line={"color": palette[index % len(palette)], "width": 2},
                marker={
                    "symbol": ("circle", "square", "diamond", "triangle-up", "x", "star")[
                        index % 6
                    ],
                    "size": 8,
                },
            )
        )
    if target is not None:
        fig.add_hline(
            y=target, line={"dash": "dash", "color": DARK_TEXT}, annotation_text=_("Ambition")
        )
    fig.update_layout(
        title={"text": title, "x": 0.01} if title else None,
        height=320,
        margin={"l": 8, "r": 8, "t": 40, "b": 30},
        # Fitted to the data (and the ambition), so a rise of 0,8 is visible.
        yaxis={"range": _fitted(series, target), "dtick": 0.5, "title": _("score")},
        font={"size": 12},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def ambition_figure(rows: Sequence, *, title: str = "") -> go.Figure:
    """The gap to the ambition as a graphic: per cell with an ambition a bar from the score
    (a dot in the score's colour) to the ambition (a black tick), largest gap on top.
    ``rows`` are ``priorities.PriorityRow``."""
    rows = [r for r in rows if r.target is not None]
    labels = [r.label for r in rows]
    scores = [round(r.score, 1) for r in rows]
    targets = [float(r.target) for r in rows]
    fig = go.Figure()
    for label, score, target in zip(labels, scores, targets, strict=True):
        if target > score:
            fig.add_trace(
                go.Scatter(
                    x=[score, target],
                    y=[label, label],
                    mode="lines",
                    line={"color": GAP_BAR, "width": 10},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=targets,
            y=labels,
            mode="markers",
            name=_("Ambition"),
            marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": DARK_TEXT}},
            hovertemplate="%{y}: " + _("ambition") + " %{x}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=scores,
            y=labels,
            mode="markers+text",
            name=_("Score"),
            marker={
                "size": 16,
                "color": [level_colour(s) for s in scores],
                "line": {"color": DARK_TEXT, "width": 1.5},
            },
            text=[fmt_score(s) for s in scores],
            textposition="middle left",
            textfont={"size": 13},
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    low = min([*scores, *targets, 5.0]) - 0.4
    high = max([*scores, *targets, 1.0]) + 0.2
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}} if title else None,
        height=max(200, 36 * len(rows) + 120),
        margin={"l": 8, "r": 16, "t": 44 if title else 16, "b": 40},
        xaxis={
            "range": [max(0.6, low), min(5.2, high)],
            "dtick": 0.5,
            "tickfont": {"size": 12},
            "title": {"text": _("score (1–5)"), "font": {"size": 13}},
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 13}, "automargin": True},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 12}},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


# Okabe–Ito: one colour per domain, safe for colour-blind readers, apart from the score scale.
DOMAIN_COLOURS = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")


def change_figure(rows: Sequence[dict], *, before: str, after: str) -> go.Figure:
    """Every cell at once: a line from the previous round's score (open dot) to the latest
    (filled dot, the domain's colour), the ambition as a black tick, largest rise on top.
    ``rows``: name, domain, before, after, target, clear (the change exceeds its
    uncertainty)."""
    rows = [r for r in rows if r["before"] is not None and r["after"] is not None]
    rows = sorted(rows, key=lambda r: -(r["after"] - r["before"]))
    domains = list(dict.fromkeys(r["domain"] for r in rows))
    colour = {d: DOMAIN_COLOURS[i % len(DOMAIN_COLOURS)] for i, d in enumerate(domains)}
    fig = go.Figure()
    for r in rows:
        fig.add_trace(
            go.Scatter(
                x=[r["before"], r["after"]],
                y=[r["name"], r["name"]],
                mode="lines",
                line={"color": colour[r["domain"]], "width": 4 if r["clear"] else 2},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[r["before"] for r in rows],
            y=[r["name"] for r in rows],
            mode="markers",
            name=before,
            marker={"size": 11, "color": "#ffffff", "line": {"color": "#4a5565", "width": 2}},
            hovertemplate="%{y}: %{x:.1f}<extra>" + before + "</extra>",
        )
    )
    for domain in domains:
        mine = [r for r in rows if r["domain"] == domain]
        fig.add_trace(
            go.Scatter(
                x=[r["after"] for r in mine],
                y=[r["name"] for r in mine],
                mode="markers+text",
                name=f"{after}: {domain}",
                marker={
                    "size": 13,
                    "color": colour[domain],
                    "line": {"color": DARK_TEXT, "width": 1},
                },
                text=[fmt_change(r["after"] - r["before"]) if r["clear"] else "" for r in mine],
                textposition="middle right",
                textfont={"size": 12},
                cliponaxis=False,
                hovertemplate="%{y}: %{x:.1f}<extra>" + after + "</extra>",
            )
        )
    targets = [r for r in rows if r["target"] is not None]
    if targets:
        fig.add_trace(
            go.Scatter(
                x=[r["target"] for r in targets],
                y=[r["name"] for r in targets],
                mode="markers",
                name=_("Ambition"),
                marker={"symbol": "line-ns", "size": 20, "line": {"width": 3, "color": DARK_TEXT}},
                hovertemplate="%{y}: " + _("ambition") + " %{x}<extra></extra>",
            )
        )
    values = [v for r in rows for v in (r["before"], r["after"], r["target"]) if v is not None]
    low = max(0.8, min(values, default=1.0) - 0.3)
    high = min(5.2, max(values, default=5.0) + 0.4)
    fig.update_layout(
        height=max(260, 30 * len(rows) + 150),
        margin={"l": 8, "r": 24, "t": 60, "b": 40},
        xaxis={
            "range": [low, high],
            "dtick": 0.5,
            "tickfont": {"size": 12},
            "title": {"text": _("score (1–5)"), "font": {"size": 13}},
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 13}, "automargin": True},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 12}},
        font={"size": 12},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
