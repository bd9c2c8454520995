"""The honeycomb and its companion charts: pure functions from cell data to plotly figures.

Suppressed cells never carry a number, in text or hover. Where the hexagons go is
``chart_geometry``; colours and number formats are ``chart_formats``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .chart_bars import ambition_figure, change_figure, gap_figure, trend_figure
from .chart_formats import (
    DARK_TEXT,
    SUPPRESSED_FILL,
    fmt_change,
    fmt_score,
    level_band,
    level_colour,
    separators,
    spread_mark_name,
    text_colour,
)
from .chart_geometry import (
    SPREAD_MARK_AT,
    HexCell,
    below_ambition,
    domain_borders,
    domain_label_positions,
    hexagon_path,
    honeycomb_layout,
)
from .chart_scale import scale_colours

__all__ = [
    "ambition_figure",
    "change_figure",
    "compact_texts",
    "figure_html",
    "gap_figure",
    "honeycomb_figure",
    "trend_figure",
]


def _wrap(label: str, width: int = 12) -> str:
    words, lines, line = label.replace("& ", "&\u00a0").split(), [], ""
    for word in words:
        # "&" opens the line of the word after it ("& samenwerking"): the narrower break.
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines[:3])


def _cell_text(cell: HexCell, show_targets: bool, show_changes: bool) -> str:
    parts = [f"<b>{_wrap(cell.label)}</b>"]
    if cell.suppressed or cell.score is None:
        parts.append(_wrap(_("too few answers"), 10) if cell.suppressed else "—")
        return "<br>".join(parts)
    line = fmt_score(cell.score)
    if show_targets and cell.target:
        line += f" → {cell.target}"
    # Only a change larger than its uncertainty gets an arrow (``change_test``).
    if show_changes and cell.change is not None and cell.change_clear:
        arrow = "▲" if cell.change > 0 else "▼"
        line += f"  {arrow}{fmt_score(abs(cell.change))}"
    parts.append(line)
    if cell.annotation:
        parts.append(f"<i>{cell.annotation}</i>")
    return "<br>".join(parts)


def level_text(score: float, level_names: Mapping[int, str] | None) -> str:
    """The level a score counts as, named: "niveau 3 Gevestigd"."""
    level = level_band(score)
    name = (level_names or {}).get(level, "")
    return (_("level %(n)s") % {"n": level} + f" {name}").strip()


def _hover(cell: HexCell, level_names: Mapping[int, str] | None = None) -> str:
    if cell.suppressed or cell.score is None:
        return f"<b>{cell.label}</b><br>{_('too few answers')}"
    rows = [
        f"<b>{cell.label}</b>",
        f"{_('Score')}: {fmt_score(cell.score)} ({level_text(cell.score, level_names)})",
        f"n = {cell.n}",
    ]
    if cell.spread is not None:
        rows.append(f"{_('Spread')}: {fmt_score(cell.spread)}")
    if cell.target:
        rows.append(f"{_('Ambition')}: {cell.target}")
    if cell.change is not None:
        verdict = "" if cell.change_clear else f" ({_('no clear change')})"
        rows.append(f"{_('Change')}: {fmt_change(cell.change)}{verdict}")
    if cell.consensus:
        rows.append(f"{_('Agreed level')}: {cell.consensus}")
    if cell.annotation:
        rows.append(cell.annotation)
    return "<br>".join(rows)


def _add_honeycomb(
    fig: go.Figure,
    cells: Sequence[HexCell],
    *,
    x_offset: float = 0.0,
    show_targets: bool = True,
    show_changes: bool = True,
    showlegend_hover: bool = False,
    level_names: Mapping[int, str] | None = None,
    domain_scores: Mapping[str, str] | None = None,
) -> tuple[float, float, float, float]:
    layout = honeycomb_layout(cells)
    xs, ys, texts, colours, hovers, custom = [], [], [], [], [], []
    marks: list[tuple[float, float, str, str, str]] = []
    for cell in cells:
        x, y = layout[cell.code]
        x += x_offset
        fill = (
            SUPPRESSED_FILL if cell.suppressed or cell.score is None else level_colour(cell.score)
        )
        fig.add_shape(
            type="path",
            path=hexagon_path(x, y, 0.97),
            fillcolor=fill,
            layer="below",
            line={
                "color": "#6b7685" if cell.suppressed else "#ffffff",
                "width": 1.5,
                "dash": "dot" if cell.suppressed else "solid",
            },
        )
        if show_targets and below_ambition(cell):
            fig.add_shape(
                type="path",
                path=hexagon_path(x, y, 0.80),
                line={"color": "#1b2430", "width": 1, "dash": "dash"},
                layer="above",
            )
        if cell.disagreement and not cell.suppressed:
            marks.append((x, y + SPREAD_MARK_AT, cell.code, _hover(cell), cell.url or ""))
        xs.append(x)
        ys.append(y)
        texts.append(_cell_text(cell, show_targets, show_changes))
        colours.append(text_colour(fill))
        hovers.append(_hover(cell, level_names))
        custom.append([cell.code, cell.url or ""])
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=texts,
            textfont={"color": colours, "size": CELL_TEXT_PX},
            marker={"size": 46, "opacity": 0, "symbol": "hexagon"},
            customdata=custom,
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="cells",
        )
    )
    fig.add_trace(_spread_marks(marks))
    for (x0, y0), (x1, y1) in domain_borders(cells, layout):
        fig.add_shape(
            type="line",
            x0=x0 + x_offset,
            y0=y0,
            x1=x1 + x_offset,
            y1=y1,
            line={"color": DARK_TEXT, "width": 3},
            layer="above",
        )
    label_positions = domain_label_positions(cells, layout)
    for label, (x, y), anchor in label_positions:
        score = (domain_scores or {}).get(label)
        fig.add_annotation(
            x=x + x_offset,
            y=y,
            text=f"<b>{label}</b>" + (f"<br>{score}" if score else ""),
            showarrow=False,
            xanchor=anchor,
            font={"size": 14, "color": DARK_TEXT},
        )
    all_x = [x + x_offset for x, _y in layout.values()] or [0]
    all_y = [y for _x, y in layout.values()] or [0]
    # Room for the domain names around the honeycomb.
    label_y = [y for _label, (_x, y), _anchor in label_positions] or [0]
    return (
        min(all_x) - 3.2,
        max(all_x) + 3.2,
        min(min(all_y) - 1.2, min(label_y) - 0.6),
        max(max(all_y) + 1.2, max(label_y) + 0.6),
    )


CELL_TEXT_PX = 12  # the smallest text on a chart at desktop width
NOWHERE: list[float | None] = [None]  # a legend entry without a point
SPREAD_MARK = {
    "symbol": "diamond",
    "size": 10,
    "color": DARK_TEXT,
    "line": {"color": "#ffffff", "width": 1.5},
}


def _spread_marks(marks: Sequence[tuple[float, float, str, str, str]]) -> go.Scatter:
    """A small diamond on every cell whose respondents disagree (high spread), with its own
    legend entry; shown in the legend even when no cell carries it, so the key stays the same."""
    return go.Scatter(
        x=[m[0] for m in marks] or NOWHERE,
        y=[m[1] for m in marks] or NOWHERE,
        mode="markers",
        name=spread_mark_name(),
        legendrank=2000,
        marker=SPREAD_MARK,
        customdata=[[m[2], m[4]] for m in marks],  # a click opens the cell too
        hovertext=[m[3] for m in marks],
        hovertemplate="%{hovertext}<extra></extra>",
        meta="spread",
    )


def _finish(fig: go.Figure, bounds, title: str, height: int) -> go.Figure:
    x0, x1, y0, y1 = bounds
    fig.update_xaxes(visible=False, range=[x0, x1], fixedrange=True)
    fig.update_yaxes(visible=False, range=[y0, y1], scaleanchor="x", scaleratio=1, fixedrange=True)
    fig.update_layout(
        title={"text": title, "x": 0.01} if title else None,
        height=height,
        autosize=True,
        margin={"l": 4, "r": 4, "t": 70 if title else 36, "b": 70},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
        dragmode=False,
        # The key to the marks on top, the colour scale under the honeycomb.
        legend={
            "orientation": "h",
            "y": 1.0,
            "yanchor": "bottom",
            "x": 0.5,
            "xanchor": "center",
            "font": {"size": 12},
        },
        font={
            "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
            "color": DARK_TEXT,
        },
    )
    return fig


def _level_legend(
    fig: go.Figure, level_names: Mapping[int, str] | None, anchor: tuple[float, float]
) -> None:
    """The continuous scale as a colour bar under the honeycomb, its ticks named by level,
    and grey for hidden figures."""
    ticks = [
        f"{level} {level_names.get(level, '')}".strip() if level_names else str(level)
        for level in range(1, 6)
    ]
    fig.add_trace(
        go.Scatter(
            x=[anchor[0], anchor[0]],
            y=[anchor[1], anchor[1]],
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            name="scale",
            marker={
                "size": 1,
                "opacity": 0,
                "color": [1, 5],
                "cmin": 1,
                "cmax": 5,
                "colorscale": colourscale(),
                "showscale": True,
                "colorbar": {
                    "orientation": "h",
                    "x": 0.5,
                    "xanchor": "center",
                    "y": -0.01,
                    "yanchor": "top",
                    "len": 0.9,
                    "thickness": 14,
                    "outlinewidth": 0,
                    "tickvals": [1, 2, 3, 4, 5],
                    "ticktext": ticks,
                    "tickfont": {"size": 12},
                    "title": {"text": _("Score (1–5)"), "side": "top", "font": {"size": 12}},
                },
            },
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=_("too few answers"),
            hoverinfo="skip",
            marker={
                "symbol": "hexagon",
                "size": 14,
                "color": SUPPRESSED_FILL,
                "line": {"color": "#6b7685", "width": 1},
            },
        )
    )


def colourscale() -> list[list[float | str]]:
    """The continuous scale for plotly: its colour at every tenth from 1 to 5."""
    colours = scale_colours()
    return [[i / (len(colours) - 1), colour] for i, colour in enumerate(colours)]


def honeycomb_figure(
    cells: Sequence[HexCell],
    *,
    title: str = "",
    show_targets: bool = True,
    show_changes: bool = True,
    height: int | None = None,
    level_names: Mapping[int, str] | None = None,
    domain_scores: Mapping[str, str] | None = None,
) -> go.Figure:
    """``domain_scores``: the shown score per domain name, written under the name."""
    fig = go.Figure()
    bounds = _add_honeycomb(
        fig,
        cells,
        show_targets=show_targets,
        show_changes=show_changes,
        level_names=level_names,
        domain_scores=domain_scores,
    )
    _level_legend(fig, level_names, (bounds[0], bounds[2]))
    fig.update_layout(meta={"compact": compact_texts(cells, domain_scores)})
    if height is None:  # about 72 px per hexagon radius: 12 px text fits at 1280 px
        height = int(min(1000, max(440, (bounds[3] - bounds[2]) * 72 + 110)))
    return _finish(fig, bounds, title, height)


def compact_texts(cells: Sequence[HexCell], domain_scores: Mapping[str, str] | None = None) -> dict:
    """What a phone shows instead (static/js/charts.js swaps it in below 560 px): the cell's
    code and score in the hexagon, the domain's code outside; full names stay in the hover
    and in the table under the chart."""
    texts = []
    for cell in cells:
        score = None if cell.suppressed else cell.score
        texts.append(f"<b>{cell.code}</b><br>{'–' if score is None else fmt_score(score)}")
    scores = domain_scores or {}

    def named(label: str) -> str:
        score = scores.get(label)
        return f"<b>{label}</b>" + (f"<br>{score}" if score else "")

    domains = {
        named(c.domain_label): named(c.domain_label).replace(
            f"<b>{c.domain_label}</b>", f"<b>{c.domain_code}</b>"
        )
        for c in cells
    }
    return {"trace": "cells", "text": texts, "annotations": domains}


def figure_html(fig: go.Figure, *, div_id: str) -> str:
    """The chart's element and its figure as JSON data beside it; static/js/charts.js draws
    it. No inline script, so the Content Security Policy can forbid inline scripts."""
    fig.update_layout(separators=separators())
    figure = json.loads(fig.to_json())
    figure["config"] = {
        # No toolbar: its buttons would be focusable inside a chart that screen readers
        # skip (the table beside each chart carries the same figures).
        "displayModeBar": False,
        "displaylogo": False,
        "responsive": True,
    }
    data = json.dumps(figure, separators=(",", ":")).replace("<", "\\u003c")
    return mark_safe(  # noqa: S308 (ids are ours; the JSON cannot close the script element)
        f'<div id="{div_id}" class="plotly-graph-div" data-plot="{div_id}-data"></div>'
        f'<script type="application/json" id="{div_id}-data">{data}</script>'
    )
