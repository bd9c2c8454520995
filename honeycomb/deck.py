"""The board pack as a PowerPoint deck (python-pptx), from the same ``BoardPack`` as the PDF.
Consultants present in PowerPoint, so everything is native and editable: the honeycomb is
drawn with hexagon shapes (not a picture), tables are PowerPoint tables."""

from __future__ import annotations

import io

import pptx.presentation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt
from reportlab.pdfbase.pdfmetrics import stringWidth

from .board_pack import BoardPack, change_text, score_text
from .chart_formats import (
    fmt_score,
    level_colour,
    spread_mark_name,
    text_colour,
)
from .chart_geometry import (
    SPREAD_MARK_AT,
    below_ambition,
    domain_borders,
    hexagon_points,
    honeycomb_layout,
)
from .chart_scale import scale_colours
from .deck_charts import domain_chart_slide, priority_chart_slide
from .deck_parts import (
    HEIGHT,
    INK,
    LABEL_FONT,
    LABEL_MARGIN,
    LABEL_MIN_PT,
    LABEL_SLACK,
    LABEL_TYPEFACE,
    MARGIN,
    MUTED,
    WIDTH,
    _blank,
    _bullets_slide,
    _rgb,
    _table_slides,
    _text,
)
from .report_charts import add_line_chart
from .report_drawing import fitted_honeycomb
from .report_fonts import FONT_BOLD, register_fonts

DOMAIN_PT = 13  # the domain names and scores around the honeycomb


def build_deck(pack: BoardPack) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = f"{pack.title}: {pack.organisation} – {pack.round_title}"
    deck.core_properties.author = "Klantraat"
    _cover(deck, pack)
    _key_slide(deck, pack)
    _honeycomb_slide(deck, pack)
    domain_chart_slide(deck, pack)
    _table_slides(deck, _("Scores per domain"), _domain_rows(pack))
    if pack.priorities:
        priority_chart_slide(deck, pack)
        _table_slides(deck, _("Priorities: distance to the ambition"), pack.priority_table())
    if len(pack.group_table[0]) > 2:
        _table_slides(deck, _("How the groups see it"), pack.group_table)
    if len(pack.gaps) > 1:
        _table_slides(deck, _("Largest differences between groups"), pack.gaps)
    for section in pack.sections:
        if section.chart:
            slide = _blank(deck, section.title)
            add_line_chart(
                slide, section.chart, MARGIN, Emu(1150000), WIDTH - 2 * MARGIN, Emu(4900000)
            )
        if section.table:
            _table_slides(deck, section.title, section.table, intro=section.paragraphs[:3])
        elif section.paragraphs:
            _bullets_slide(deck, section.title, section.paragraphs)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _cover(deck: pptx.presentation.Presentation, pack: BoardPack) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, MARGIN, Emu(1600000), WIDTH - 2 * MARGIN, Emu(900000), [pack.title], 40)
    _text(
        slide,
        MARGIN,
        Emu(2600000),
        WIDTH - 2 * MARGIN,
        Emu(1600000),
        [pack.organisation, f"{pack.round_title} · {pack.period}"],
        24,
    )
    _text(
        slide,
        MARGIN,
        Emu(4300000),
        WIDTH - 2 * MARGIN,
        Emu(1000000),
        [
            _("Made on %(date)s.") % {"date": date_format(pack.made_on, "DATE_FORMAT")},
            pack.status_line,
        ],
        14,
        MUTED,
    )


def _key_slide(deck: pptx.presentation.Presentation, pack: BoardPack) -> None:
    slide = _blank(deck, _("Key figures and messages"))
    figures = [(str(pack.respondents), _("respondents")), (pack.overall, _("overall score (1–5)"))]
    if pack.overall_change:
        figures.append((pack.overall_change, _("change since the previous round")))
    width = Emu(2500000)
    for i, (value, label) in enumerate(figures):
        left = MARGIN + i * (width + Emu(150000))
        tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, Emu(1150000), width, Emu(1100000))
        tile.fill.solid()
        tile.fill.fore_color.rgb = RGBColor(0xEE, 0xF1, 0xF5)
        tile.line.fill.background()
        frame = tile.text_frame
        frame.paragraphs[0].text = value
        frame.paragraphs[0].font.size, frame.paragraphs[0].font.bold = Pt(36), True
        frame.paragraphs[0].font.color.rgb = INK
        sub = frame.add_paragraph()
        sub.text = label
        sub.font.size, sub.font.color.rgb = Pt(12), MUTED
    _text(
        slide,
        MARGIN,
        Emu(2500000),
        WIDTH - 2 * MARGIN,
        Emu(3500000),
        ["• " + m for m in pack.key_messages],
        16,
    )


def _honeycomb_slide(deck: pptx.presentation.Presentation, pack: BoardPack) -> None:
    """The honeycomb as native shapes: one hexagon (freeform) per cell named by its code, the
    borders between domains as lines, the domain names around it."""
    slide = _blank(deck, _("The honeycomb"))
    register_fonts()
    layout = honeycomb_layout(pack.cells)
    area_w, area_h = Emu(8300000), Emu(5400000)
    labels, texts, unit, (left, _bottom, _right, top) = fitted_honeycomb(
        pack.cells,
        layout,
        pack.domain_scores,
        area_w / 12700,
        area_h / 12700,
        DOMAIN_PT,
        FONT_BOLD,
        one_line=True,
    )
    scale = unit * 12700  # EMU per unit

    def at(x: float, y: float) -> tuple[int, int]:
        return int(MARGIN + (x * unit - left) * 12700), int(Emu(950000) + (top - y * unit) * 12700)

    size = max(LABEL_MIN_PT, min(12, round(unit * 0.24)))
    for cell in pack.cells:
        cx, cy = layout[cell.code]
        shown = not cell.suppressed and cell.score is not None
        fill = level_colour(cell.score if shown else None)
        corners = [at(x, y) for x, y in hexagon_points(cx, cy, 0.97)]
        builder = slide.shapes.build_freeform(*corners[0], scale=1.0)
        builder.add_line_segments(corners[1:], close=True)
        shape = builder.convert_to_shape()
        shape.name = cell.code
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
        shape.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        if below_ambition(cell):  # the one code for a gap: a dashed inner outline
            inner = [at(x, y) for x, y in hexagon_points(cx, cy, 0.88)]
            outline = slide.shapes.build_freeform(*inner[0], scale=1.0)
            outline.add_line_segments(inner[1:], close=True)
            ring = outline.convert_to_shape()
            ring.name = f"{cell.code} below ambition"
            ring.fill.background()
            ring.line.color.rgb = _rgb(text_colour(fill))
            ring.line.width = Pt(1.25)
            ring.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        # Text wraps inside the hexagon's straight sides, and inside the dashed outline.
        side = int(scale * (0.1 if below_ambition(cell) else 0.02)) + LABEL_MARGIN
        frame.margin_left = frame.margin_right = side
        frame.margin_top = frame.margin_bottom = LABEL_MARGIN
        ink = _rgb(text_colour(fill))
        room = (shape.width - 2 * side) / 12700
        label, label_size = fit_label(cell.label, cell.code, room, size)
        three = wrapped_lines(label, room * LABEL_SLACK, label_size) > 2  # a smaller score then
        lines = [
            (label, label_size, True),
            (
                score_text(cell) if shown else _("too few answers"),
                size * 4 // 3 if shown and not three else size,
                shown,
            ),
        ]
        marks = []
        if shown and cell.target is not None:
            marks.append(f"→ {cell.target}")
        if shown and cell.change is not None and cell.change_clear:
            marks.append(("▲" if cell.change > 0 else "▼") + fmt_score(abs(cell.change)))
        if marks:
            # a little smaller: the last line sits where the hexagon narrows
            lines.append(("  ".join(marks), max(LABEL_MIN_PT, size - 2), False))
        for i, (text, points, bold) in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = text
            paragraph.alignment = PP_ALIGN.CENTER
            paragraph.font.size, paragraph.font.bold = Pt(points), bold
            paragraph.font.name = LABEL_TYPEFACE
            paragraph.font.color.rgb = ink
        if shown and cell.disagreement:
            _spread_mark(slide, *at(cx, cy + SPREAD_MARK_AT), int(0.2 * scale), cell.code)
    for start, finish in domain_borders(pack.cells, layout):
        border = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, *at(*start), *at(*finish))
        border.line.color.rgb = INK
        border.line.width = Pt(2.25)
    for name, (x, y), anchor in labels:
        px, py = at(x, y)
        width = Emu(2600000)
        left_edge = {"left": px, "right": px - width}.get(anchor, px - width // 2)
        box = _text(
            slide,
            int(left_edge),
            int(py - Pt(DOMAIN_PT * 1.25)),
            width,
            Emu(500000),
            texts[name],
            DOMAIN_PT,
        )
        frame = box.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.paragraphs[0].font.bold = True
        for paragraph in frame.paragraphs:
            paragraph.space_after = Pt(0)
            paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT}.get(
                anchor, PP_ALIGN.CENTER
            )
    legend = [
        _("The darker, the higher; grey: too few answers."),
        _("→ 4: ambition; dashed inner outline: below the ambition."),
        _("▲/▼: a change larger than its uncertainty."),
        "◆ " + spread_mark_name(),
    ]
    _text(slide, Emu(8900000), Emu(1150000), Emu(2900000), Emu(3600000), legend, 12, MUTED)
    _scale_bar(slide, pack, Emu(8900000), Emu(4900000), Emu(2800000))


def _scale_bar(slide, pack: BoardPack, left: int, top: int, width: int) -> None:
    """The continuous colour scale as a row of thin native rectangles, levels 1 and 5 named."""
    colours = scale_colours()
    step = width // len(colours)
    for i, colour in enumerate(colours):
        swatch = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, left + i * step, top, step + 1, Emu(220000)
        )
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = _rgb(colour)
        swatch.line.fill.background()
    names = pack.level_names
    ends = f"1 {names.get(1, '')}".strip() + "  …  " + f"5 {names.get(5, '')}".strip()
    _text(slide, left, top + Emu(240000), width, Emu(300000), [ends], 12, MUTED)


def fit_label(label: str, code: str, width_pt: float, size: int) -> tuple[str, int]:
    """The text and font size of a hexagon's name: the largest size from ``size`` down to
    ``LABEL_MIN_PT`` at which every word fits the box (PowerPoint wraps between words only)
    on at most two lines, else three at the smallest size; the cell's code when even then it
    does not fit (the full name is in the tables)."""
    room = width_pt * LABEL_SLACK
    for points in range(size, LABEL_MIN_PT - 1, -1):
        if widest_word(label, points) <= room and wrapped_lines(label, room, points) <= 2:
            return label, points
    if widest_word(label, LABEL_MIN_PT) <= room and wrapped_lines(label, room, LABEL_MIN_PT) <= 3:
        return label, LABEL_MIN_PT
    return code, size


def wrapped_lines(text: str, width_pt: float, points: float) -> int:
    """How many lines the text takes when wrapped between words at ``width_pt``."""
    count, line = 1, ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and stringWidth(candidate, LABEL_FONT, points) > width_pt:
            count, line = count + 1, word
        else:
            line = candidate
    return count


def widest_word(text: str, points: float) -> float:
    """The width in points of the text's longest word in the label font."""
    return max((stringWidth(word, LABEL_FONT, points) for word in text.split()), default=0.0)


def _spread_mark(slide, x: int, y: int, size: int, code: str) -> None:
    """The small diamond of a cell whose respondents disagree (as on the results page)."""
    mark = slide.shapes.add_shape(MSO_SHAPE.DIAMOND, x - size // 2, y - size // 2, size, size)
    mark.name = f"{code} spread"
    mark.fill.solid()
    mark.fill.fore_color.rgb = RGBColor(0, 0, 0)
    mark.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    mark.line.width = Pt(1)


def _domain_rows(pack: BoardPack) -> list[list[str]]:
    header = [_("Domain"), _("Cell"), _("Score")]
    if pack.has_targets():
        header.append(_("Ambition"))
    if pack.has_change():
        header.append(_("Change"))
    header.append(_("Respondents"))
    rows = [header]
    for domain in pack.domains:
        for cell in domain.cells:
            shown = not cell.suppressed and cell.score is not None
            row = [domain.name, cell.label, score_text(cell)]
            if pack.has_targets():
                row.append("" if cell.target is None else str(cell.target))
            if pack.has_change():
                row.append(change_text(cell.change, cell.change_clear) if shown else "")
            row.append(str(cell.n) if shown else "")
            rows.append(row)
    return rows


# Building blocks other decks share (the tenant pulse's partner scorecard).
blank_slide = _blank
text_box = _text
table_slides = _table_slides
bullets_slide = _bullets_slide

__all__ = [
    "HEIGHT",
    "MARGIN",
    "MUTED",
    "WIDTH",
    "blank_slide",
    "build_deck",
    "bullets_slide",
    "table_slides",
    "text_box",
]
