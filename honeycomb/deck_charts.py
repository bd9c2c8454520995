"""Bar charts in the deck as native PowerPoint chart objects (their data editable in
PowerPoint): the domain scores in the scale's colours, and every cell's score beside its
ambition in the order of the priorities table. The figures are the board pack's."""

from __future__ import annotations

from django.utils.translation import gettext as _
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from .board_pack import BoardPack, parse_decimal
from .chart_formats import level_colour
from .deck_parts import LABEL_TYPEFACE, MARGIN, MUTED, WIDTH, _blank, _rgb, _text

AMBITION_GREY = RGBColor(0xB8, 0xC0, 0xCC)
CHART_PT = 12


def _bar_chart(slide, categories: list[str], series: dict[str, list[float | None]], top: int):
    # A bar chart runs its categories bottom up: reversed, the first stands on top (as in
    # the tables) with the scale under the bars.
    data = CategoryChartData(number_format="0.0")
    data.categories = categories[::-1]
    for name, values in list(series.items())[::-1]:
        data.add_series(name, [None if v is None else round(v, 1) for v in values[::-1]])
    height = Emu(6858000 - 420000 - 80000) - top
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, top, WIDTH - 2 * MARGIN, height, data
    )
    chart = frame.chart
    chart.font.size, chart.font.name = Pt(CHART_PT), LABEL_TYPEFACE
    chart.has_title = False
    categories_axis = chart.category_axis
    categories_axis.tick_labels.font.size = Pt(CHART_PT)
    skip = categories_axis._element.makeelement(qn("c:tickLblSkip"), {"val": "1"})
    categories_axis._element.append(skip)  # every category named, none skipped
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 1, 5, 1
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xE2, 0xE8)
    axis.tick_labels.font.size = Pt(CHART_PT)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 0
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = "0.0", False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(CHART_PT)
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_PT)
    return chart


def domain_chart_slide(deck, pack: BoardPack) -> None:
    """The domain scores as bars in the honeycomb's colours (hidden scores left out)."""
    shown = [(d.name, parse_decimal(d.score)) for d in pack.domains]
    shown = [(name, score) for name, score in shown if score is not None]
    if not shown:
        return
    slide = _blank(deck, _("Scores per domain"))
    chart = _bar_chart(
        slide, [n for n, _s in shown], {_("Score"): [s for _n, s in shown]}, Emu(1150000)
    )
    for point, (_name, score) in zip(chart.plots[0].series[0].points, shown[::-1], strict=True):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(level_colour(score))


def priority_chart_slide(deck, pack: BoardPack) -> None:
    """The score of every cell with an ambition beside that ambition, the largest distance
    first (the priorities table's order), the three priorities above."""
    rows = [r for r in pack.priorities if r.target is not None]
    if not rows:
        return
    slide = _blank(deck, _("Score and ambition"))
    top = Emu(1150000)
    if pack.priority_lines:
        _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Emu(900000), pack.priority_lines, 12, MUTED)
        top = Emu(1150000 + 330000 * len(pack.priority_lines))
    series: dict[str, list[float | None]] = {
        _("Score"): [r.score for r in rows],
        _("Ambition"): [None if r.target is None else float(r.target) for r in rows],
    }
    chart = _bar_chart(slide, [r.label for r in rows], series, top)
    ambition, scores = chart.plots[0].series  # added in reverse
    scores.format.fill.solid()  # the legend's swatch: the middle of the scale
    scores.format.fill.fore_color.rgb = _rgb(level_colour(3.0))
    for point, row in zip(scores.points, rows[::-1], strict=True):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(level_colour(row.score))
    ambition.format.fill.solid()
    ambition.format.fill.fore_color.rgb = AMBITION_GREY
