"""Line charts in the board pack, drawn natively: reportlab for the PDF, python-pptx chart
objects for the deck (editable in PowerPoint). One palette: the overall score in black, the
domains in Okabe–Ito colours (safe for colour-blind readers)."""

from __future__ import annotations

import math

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Pt
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from .board_pack import LineChart
from .chart_formats import fmt_score
from .report_fonts import FONT, SMALLEST_PT, register_fonts

PALETTE = ("#000000", "#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")


def value_range(chart: LineChart) -> tuple[float, float]:
    """The value axis fitted to the data in half points, within 1–5."""
    values = [v for series in chart.series.values() for v in series if v is not None] or [1, 5]
    low = max(1.0, math.floor(min(values) * 2 - 1) / 2)
    high = min(5.0, math.ceil(max(values) * 2 + 1) / 2)
    return low, high


def line_chart_drawing(chart: LineChart, width: float = 170 * mm) -> Drawing:
    register_fonts()
    height = 80 * mm
    drawing = Drawing(width, height, initialFontName=FONT)
    plot = HorizontalLineChart()
    plot.x, plot.y = 14 * mm, 32 * mm
    plot.width, plot.height = width - 20 * mm, height - 38 * mm
    plot.data = [tuple(v for v in series) for series in chart.series.values()]
    plot.categoryAxis.categoryNames = chart.categories
    for axis in (plot.categoryAxis.labels, plot.valueAxis.labels):
        axis.fontName, axis.fontSize = FONT, SMALLEST_PT
    low, high = value_range(chart)
    plot.valueAxis.valueMin, plot.valueAxis.valueMax, plot.valueAxis.valueStep = low, high, 0.5
    plot.valueAxis.labelTextFormat = fmt_score
    plot.joinedLines = 1
    for i in range(len(plot.data)):
        plot.lines[i].strokeColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        plot.lines[i].strokeWidth = 2.5 if i == 0 else 1.5
        plot.lines[i].symbol = None
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y = 14 * mm, 20 * mm
    legend.fontName, legend.fontSize = FONT, SMALLEST_PT
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.dx, legend.dy, legend.deltax, legend.deltay = 8, 8, 160, 14
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), name) for i, name in enumerate(chart.series)
    ]
    drawing.add(legend)
    if chart.axis_title:
        drawing.add(
            String(0, height - 4 * mm, chart.axis_title, fontName=FONT, fontSize=SMALLEST_PT)
        )
    return drawing


def add_line_chart(slide, chart: LineChart, left: int, top: int, width: int, height: int) -> None:
    """The chart as a native PowerPoint line chart (its data editable in PowerPoint)."""
    data = CategoryChartData()
    data.categories = chart.categories
    for name, values in chart.series.items():
        data.add_series(name, [None if v is None else round(v, 2) for v in values])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, left, top, width, height, data)
    native = frame.chart
    native.has_legend = True
    native.legend.position = XL_LEGEND_POSITION.BOTTOM
    native.legend.include_in_layout = False
    native.legend.font.size = Pt(12)
    native.font.size = Pt(12)
    low, high = value_range(chart)
    axis = native.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = low, high, 0.5
    axis.tick_labels.font.size = Pt(12)
    native.category_axis.tick_labels.font.size = Pt(12)
    for i, series in enumerate(native.series):
        colour = RGBColor.from_string(PALETTE[i % len(PALETTE)].lstrip("#"))
        series.format.line.color.rgb = colour
        series.format.line.width = Pt(3 if i == 0 else 2)
        series.smooth = False
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
