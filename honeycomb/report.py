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
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .board_pack import BoardPack, ReportSection, change_text, score_text
from .chart_formats import fmt_score
from .report_drawing import honeycomb_drawing, legend_drawing, wrap_label

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
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
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
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontSize=16, leading=20, spaceBefore=6)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12.5, leading=16)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED)
    big = ParagraphStyle("big", parent=body, fontSize=22, leading=26, textColor=INK)
    story: list = [
        Paragraph(pack.title, ParagraphStyle("t", parent=styles["Title"], alignment=0)),
        Paragraph(escape(pack.organisation), h2),
        Paragraph(escape(f"{pack.round_title} · {pack.period}"), body),
        Paragraph(
            escape(
                _("Made on %(date)s. %(status)s")
                % {"date": date_format(pack.made_on, "DATE_FORMAT"), "status": pack.status_line}
            ),
            small,
        ),
        Spacer(1, 6 * mm),
        _key_figures(pack, big, small),
        Spacer(1, 5 * mm),
        Paragraph(_("Key messages"), h2),
        *[Paragraph("• " + escape(m), body) for m in pack.key_messages],
        Spacer(1, 3 * mm),
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
        PageBreak(),
        Paragraph(_("The honeycomb"), h1),
        _domain_key(pack, small),
        honeycomb_drawing(pack.cells),
        legend_drawing(),
    ]
    progress(40)
    story += [CondPageBreak(60 * mm), Paragraph(_("Scores per domain"), h1)]
    story.append(_domain_table(pack))
    progress(55)
    if len(pack.group_table[0]) > 2:
        story += [
            CondPageBreak(60 * mm),
            Paragraph(_("How the groups see it"), h1),
            Paragraph(
                escape(
                    _(
                        "The same cells through the eyes of each group. A dash means too few "
                        "answers to show."
                    )
                ),
                small,
            ),
            report_table(pack.group_table, numeric_from=1),
        ]
    story += [CondPageBreak(45 * mm), Paragraph(_("Largest differences between groups"), h1)]
    if len(pack.gaps) > 1:
        story.append(report_table(pack.gaps, numeric_from=3))
    else:
        story.append(
            Paragraph(_("No large differences between groups that are big enough to show."), body)
        )
    progress(70)
    if pack.comments:
        story += [CondPageBreak(40 * mm), Paragraph(_("What respondents wrote"), h1)]
        for cell_name, quotes in pack.comments:
            block = [Paragraph(escape(cell_name), h2)]
            block += [
                Paragraph(f"<i>{escape(group)}:</i> {escape(text)}", small)
                for group, text in quotes
            ]
            story.append(KeepTogether(block))
    for section in pack.sections:
        story += [CondPageBreak(40 * mm), Paragraph(escape(section.title), h1)]
        story += [Paragraph(escape(p), body) for p in section.paragraphs]
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
                ("BACKGROUND", (0, 0), (-1, -1), HEAD),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.white),
            ]
        )
    )
    return table


def _domain_key(pack: BoardPack, small: ParagraphStyle) -> Paragraph:
    names = " · ".join(f"<b>{escape(d.code)}</b> {escape(d.name)}" for d in pack.domains)
    return Paragraph(names, small)


def _domain_table(pack: BoardPack) -> Table:
    header = [_("Cell"), _("Score")]
    if pack.has_targets():
        header.append(_("Ambition"))
    if pack.has_change():
        header.append(_("Change"))
    header += [_("Respondents"), _("Spread")]
    rows: list[list[str]] = [header]
    domain_rows = []
    for domain in pack.domains:
        domain_rows.append(len(rows))
        rows.append([domain.name] + [""] * (len(header) - 1))
        for cell in domain.cells:
            shown = not cell.suppressed and cell.score is not None
            row = [cell.label, score_text(cell)]
            if pack.has_targets():
                row.append("" if cell.target is None else str(cell.target))
            if pack.has_change():
                row.append(change_text(cell.change) if shown else "")
            row += [
                str(cell.n) if shown else "",
                "" if not shown or cell.spread is None else fmt_score(cell.spread),
            ]
            rows.append(row)
    table = report_table(rows, numeric_from=1)
    for index in domain_rows:
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, index), (-1, index)),
                    ("FONT", (0, index), (-1, index), "Helvetica-Bold", 9.5),
                    ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f7f8fa")),
                ]
            )
        )
    return table


def escape(text: str) -> str:
    """Text made safe for a reportlab Paragraph (which reads a little markup)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_table(rows: list[list[str]], numeric_from: int | None = None) -> Table:
    """A table in the board pack's style: shaded head, text wrapping inside its column
    (between words only), numbers right-aligned from ``numeric_from``."""
    styles = getSampleStyleSheet()
    cell_style = ParagraphStyle(
        "cell", parent=styles["BodyText"], fontSize=9, leading=11, splitLongWords=0
    )
    head_style = ParagraphStyle("head", parent=cell_style, fontName="Helvetica-Bold")
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
    table = Table(wrapped, repeatRows=1, hAlign="LEFT", colWidths=column_widths(rows, text_columns))
    style = [
        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
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
        font = "Helvetica-Bold" if r == 0 else "Helvetica"
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
