"""The board pack as a PDF, drawn with reportlab (no browser needed): a cover with the key
figures and messages, the honeycomb with ambition, change and a legend, one table of all
cells by domain, the groups side by side, the largest differences, comments and the
sections other apps add. Page numbers on every page; no page is left mostly blank."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .board_pack import BoardPack, ReportSection, change_text, score_text
from .chart_formats import SUPPRESSED_FILL, fmt_score, level_colour, text_colour
from .report_charts import line_chart_drawing
from .report_drawing import honeycomb_drawing, legend_drawing, wrap_label
from .report_fonts import FONT, FONT_BOLD, register_fonts, report_styles

__all__ = [
    "ReportSection",
    "build_report",
    "escape",
    "honeycomb_drawing",
    "numbered_canvas",
    "render_pdf",
    "report_table",
    "wrap_label",
]

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#4a5565")
RULE = colors.HexColor("#d5dae1")
HEAD = colors.HexColor("#eef1f5")
CELL_PADDING = 4.5  # points left and right of a table cell's text


class _NumberedCanvas(Canvas):
    """Writes "page X of Y" and the report's name on every page after the last is known."""

    footer_left = ""

    def __init__(self, *args, **kwargs):
        register_fonts()
        # Otherwise the canvas starts in Helvetica, a font no PDF embeds.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 9)
            self.setFillColor(MUTED)
            self.drawString(20 * mm, 10 * mm, self.footer_left)
            self.drawRightString(
                A4[0] - 20 * mm,
                10 * mm,
                _("Page %(page)s of %(total)s") % {"page": self._pageNumber, "total": total},
            )
            super().showPage()
        super().save()


def build_report(pack: BoardPack, progress: Callable[[int], None] = lambda pct: None) -> bytes:
    """The story: the cover (key figures, priorities, the honeycomb), then domains,
    priorities, groups, differences, comments and the sections other apps add. Headings keep
    with what follows; nothing forces a page break, so no page but the last is half empty."""
    styles = report_styles()
    h1 = ParagraphStyle(
        "h1", parent=styles["Heading1"], fontSize=15, leading=19, spaceBefore=10, keepWithNext=1
    )
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12, leading=15, keepWithNext=1)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=MUTED)
    big = ParagraphStyle("big", parent=body, fontSize=22, leading=26, textColor=INK)
    story: list = [
        Paragraph(pack.title, ParagraphStyle("t", parent=styles["Title"], alignment=0)),
        Paragraph(escape(f"{pack.organisation} · {pack.round_title} · {pack.period}"), h2),
        Paragraph(
            escape(
                _("Made on %(date)s. %(status)s")
                % {"date": date_format(pack.made_on, "DATE_FORMAT"), "status": pack.status_line}
            ),
            small,
        ),
        Spacer(1, 4 * mm),
        _key_figures(pack, big, small),
        Spacer(1, 3 * mm),
    ]
    story += [
        KeepTogether(
            [
                Paragraph(_("The honeycomb"), h2),
                honeycomb_drawing(
                    pack.cells, max_height=150 * mm, domain_scores=pack.domain_scores
                ),
                legend_drawing(level_names=pack.level_names),
            ]
        ),
        Paragraph(
            escape(
                _(
                    "Scores run from 1 to 5 (the maturity levels). Figures of fewer than %(t)s "
                    "respondents, or from which such a group could be worked out, are not shown."
                )
                % {"t": pack.threshold}
            ),
            small,
        ),
    ]
    if pack.priority_lines:
        story += [Paragraph(_("Three priorities"), h1)]
        story += [Paragraph("• " + escape(m), body) for m in pack.priority_lines]
    story += [
        Paragraph(_("Key messages"), h1),
        *[Paragraph("• " + escape(m), body) for m in pack.key_messages],
    ]
    progress(40)
    story += [Paragraph(_("Scores per domain"), h1), *_domain_tables(pack)]
    if pack.priorities:
        story += [
            Paragraph(_("Priorities: distance to the ambition"), h1),
            report_table(pack.priority_table(), numeric_from=1),
        ]
    progress(55)
    if len(pack.group_table[0]) > 2:
        story += [
            CondPageBreak(50 * mm),  # the heading with some rows, then the table may split
            Paragraph(_("How the groups see it"), h1),
            Paragraph(
                escape(
                    _(
                        "The same cells through the eyes of each group, in the honeycomb's "
                        "colours. A dash means too few answers to show."
                    )
                ),
                small,
            ),
            # The tables may run over a page (their head repeats): no half-empty page.
            *[
                flowable
                for part in split_columns(pack.group_table)
                # Each part starts with room for a few rows, never a lone row at a page's foot.
                for flowable in (CondPageBreak(40 * mm), coloured_table(part), Spacer(1, 3 * mm))
            ],
        ]
    story += [Paragraph(_("Largest differences between groups"), h1)]
    if len(pack.gaps) > 1:
        story.append(report_table(pack.gaps, numeric_from=3))
    else:
        story.append(
            Paragraph(_("No large differences between groups that are big enough to show."), body)
        )
    progress(70)
    if pack.comments:
        story += [Paragraph(_("What respondents wrote"), h1)]
        for cell_name, quotes in pack.comments:
            block = [Paragraph(escape(cell_name), h2)]
            block += [
                Paragraph(f"<i>{escape(group)}:</i> {escape(text)}", small)
                for group, text in quotes
            ]
            story.append(KeepTogether(block))
    for section in pack.sections:
        story += [Paragraph(escape(section.title), h1)]
        story += [Paragraph(escape(p), body) for p in section.paragraphs]
        if section.chart:
            story.append(line_chart_drawing(section.chart))
        if section.table:
            story.append(report_table(section.table))
    content = render_pdf(
        story,
        title=f"{pack.title}: {pack.organisation} – {pack.round_title}",
        footer=f"Klantraat · {pack.organisation} · {pack.round_title}",
    )
    progress(95)
    return content


def render_pdf(story: list, *, title: str, footer: str) -> bytes:
    """An A4 document of Klantraat's reports: the same margins, and the footer with "page X of
    Y" on every page."""
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Klantraat",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
    ).build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def numbered_canvas(footer_left: str) -> type[Canvas]:
    """A canvas class for ``build(canvasmaker=...)``: "page X of Y" and this footer on each page."""
    return type("ReportCanvas", (_NumberedCanvas,), {"footer_left": footer_left})


def _key_figures(pack: BoardPack, big: ParagraphStyle, small: ParagraphStyle) -> Table:
    cells = [
        [Paragraph(str(pack.respondents), big), Paragraph(pack.overall, big)],
        [Paragraph(_("respondents"), small), Paragraph(_("overall score (1–5)"), small)],
    ]
    if pack.overall_change:
        cells[0].append(Paragraph(pack.overall_change, big))
        cells[1].append(Paragraph(_("change since the previous round"), small))
    table = Table(cells, hAlign="LEFT", colWidths=[50 * mm] * len(cells[0]))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("BACKGROUND", (0, 0), (-1, -1), HEAD),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.white),
            ]
        )
    )
    return table


def _domain_tables(pack: BoardPack) -> list:
    """One small table per domain, headed by the domain's name and score: a domain never
    starts at the foot of a page without its cells."""
    head = [_("Score")]
    if pack.has_targets():
        head.append(_("Ambition"))
    if pack.has_change():
        head.append(_("Change"))
    head += [_("Respondents"), _("Spread")]
    tables: list[list[list[str]]] = []
    for domain in pack.domains:
        rows: list[list[str]] = [[f"{domain.name} · {domain.score}", *head]]
        for cell in domain.cells:
            shown = not cell.suppressed and cell.score is not None
            row = [cell.label, score_text(cell)]
            if pack.has_targets():
                row.append("" if cell.target is None else str(cell.target))
            if pack.has_change():
                row.append(change_text(cell.change, cell.change_clear) if shown else "")
            row += [
                str(cell.n) if shown else "",
                "" if not shown or cell.spread is None else fmt_score(cell.spread),
            ]
            rows.append(row)
        tables.append(rows)
    # One set of column widths for all domains, so the tables line up.
    widths = column_widths([row for rows in tables for row in rows], 1)
    out: list = []
    for rows in tables:
        out += [
            KeepTogether([report_table(rows, numeric_from=1, widths=widths)]),
            Spacer(1, 3 * mm),
        ]
    return out


def coloured_table(rows: list[list[str]]) -> Table:
    """A table of scores (from the second column) with each score's fill from the scale."""
    table = report_table(rows, numeric_from=1)
    style = []
    for r, row in enumerate(rows[1:], start=1):
        for c, text in enumerate(row[1:], start=1):
            value = parse_score(text)
            fill = SUPPRESSED_FILL if value is None else level_colour(value)
            style += [
                ("BACKGROUND", (c, r), (c, r), colors.HexColor(fill)),
                ("TEXTCOLOR", (c, r), (c, r), colors.HexColor(text_colour(fill))),
            ]
    table.setStyle(TableStyle(style))
    return table


def split_columns(rows: list[list[str]], total: float = 170 * mm) -> list[list[list[str]]]:
    """The first column with as many of the others as fit the page without breaking a word;
    the rest in a second table below (and so on), split evenly."""
    columns = len(rows[0])
    least = [column_widths([[r[0], r[c]] for r in rows], 1, total=0)[1] for c in range(1, columns)]
    first = column_widths([[r[0]] for r in rows], 1, total=0)[0]
    parts, width = 1, first + sum(least)
    while width > total and parts < columns - 1:
        parts += 1
        size = -(-(columns - 1) // parts)
        width = first + max(sum(least[i : i + size]) for i in range(0, columns - 1, size))
    size = -(-(columns - 1) // parts)
    return [
        [[row[0], *row[1 + i : 1 + i + size]] for row in rows] for i in range(0, columns - 1, size)
    ]


def parse_score(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def escape(text: str) -> str:
    """Text made safe for a reportlab Paragraph (which reads a little markup)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_table(
    rows: list[list[str]], numeric_from: int | None = None, widths: list[float] | None = None
) -> Table:
    """A table in the board pack's style: shaded head, text wrapping inside its column
    (between words only), numbers right-aligned from ``numeric_from``."""
    styles = report_styles()
    cell_style = ParagraphStyle(
        "cell", parent=styles["BodyText"], fontSize=9, leading=11, splitLongWords=0
    )
    head_style = ParagraphStyle("head", parent=cell_style, fontName=FONT_BOLD)
    # Text wraps inside its column (a Paragraph); numbers from ``numeric_from`` stay plain.
    text_columns = len(max(rows, key=len)) if numeric_from is None else numeric_from
    wrapped = [
        [
            Paragraph(escape(v), head_style if r == 0 else cell_style)
            if r == 0 or c < text_columns
            else v
            for c, v in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(
        wrapped,
        repeatRows=1,
        hAlign="LEFT",
        colWidths=widths or column_widths(rows, text_columns),
    )
    style = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("FONT", (0, 1), (-1, -1), FONT, 9),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


def column_widths(
    rows: list[list[str]], text_columns: int, total: float = 170 * mm, size: float = 9
) -> list[float]:
    """Widths that never break a word: each column at least as wide as its longest word (a
    number or a head word, in bold for the head), text columns at least that and then as much
    of their full text as fits (the first column first); what is left goes to the first."""
    columns = max(len(r) for r in rows)
    padding = 2 * CELL_PADDING
    least, natural = [0.0] * columns, [0.0] * columns
    for r, row in enumerate(rows):
        font = FONT_BOLD if r == 0 else FONT
        for c, value in enumerate(row):
            text = str(value)
            whole = stringWidth(text, font, size) + padding
            if r > 0 and c >= text_columns:  # a plain number: never wraps
                least[c] = max(least[c], whole)
            words = [stringWidth(w, font, size) + padding for w in text.split()] or [padding]
            least[c] = max(least[c], *words)
            natural[c] = max(natural[c], whole)
    widths = list(least)
    # The first column (the names a reader looks for) gets its full text first, within reason.
    widths[0] = max(least[0], min(natural[0], 60 * mm, total - sum(least[1:])))
    room = total - sum(widths)
    wants = [max(natural[c] - widths[c], 0.0) for c in range(columns)]
    if room > 0 and sum(wants) > 0:
        share = min(1.0, room / sum(wants))
        widths = [w + want * share for w, want in zip(widths, wants, strict=True)]
    widths[0] += max(total - sum(widths), 0.0)
    return widths
