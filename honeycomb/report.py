"""The board report PDF, drawn with reportlab (no browser needed): cover, summary, the
honeycomb as vector hexagons, a page per domain, gaps and comments above the threshold."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .chart_formats import fmt_change, fmt_score, level_colour, text_colour
from .chart_geometry import HexCell, hexagon_points, honeycomb_layout


@dataclass
class ReportSection:
    """Extra content a caller adds (the improvement cycle adds review, actions and trend)."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None


def honeycomb_drawing(
    cells: Sequence[HexCell], width: float = 160 * mm, max_height: float = 170 * mm
) -> Drawing:
    layout = honeycomb_layout(cells)
    xs = [x for x, _y in layout.values()]
    ys = [y for _x, y in layout.values()]
    span_x = (max(xs) - min(xs) + 2.4) or 1
    span_y = (max(ys) - min(ys) + 3.2) or 1
    scale = min(width / span_x, max_height / span_y)
    drawing = Drawing(span_x * scale, span_y * scale)

    def point(x, y):
        return (x - min(xs) + 1.2) * scale, (y - min(ys) + 1.2) * scale

    for cell in cells:
        cx, cy = layout[cell.code]
        fill = level_colour(None if cell.suppressed else cell.score)
        corners = [
            coordinate for x, y in hexagon_points(cx, cy, 0.96) for coordinate in point(x, y)
        ]
        drawing.add(
            Polygon(
                corners, fillColor=colors.HexColor(fill), strokeColor=colors.white, strokeWidth=1
            )
        )
        px, py = point(cx, cy)
        ink = colors.HexColor(text_colour(fill))
        drawing.add(
            String(
                px,
                py + 4,
                cell.label[:18],
                fontSize=6.5,
                textAnchor="middle",
                fillColor=ink,
                fontName="Helvetica-Bold",
            )
        )
        value = (
            _("too few answers") if cell.suppressed or cell.score is None else fmt_score(cell.score)
        )
        drawing.add(
            String(
                px,
                py - 6,
                value,
                fontSize=7 if cell.score else 5.5,
                textAnchor="middle",
                fillColor=ink,
            )
        )
    return drawing


def build_report(
    *,
    organisation: str,
    round_title: str,
    period: str,
    cells: Sequence[HexCell],
    domains: Sequence[tuple[str, str | None, list[HexCell]]],
    gaps: Sequence[tuple[str, str, str, float]],
    comments: dict[str, dict[str, list[str]]],
    threshold: int,
    respondents: int,
    signed: bool = False,
    sections: Sequence[ReportSection] = (),
    progress: Callable[[int], None] = lambda pct: None,
) -> bytes:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=14)
    small = ParagraphStyle(
        "small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#4a5565")
    )
    story = [
        Spacer(1, 50 * mm),
        Paragraph(_("Board report"), styles["Title"]),
        Paragraph(f"{organisation}", styles["Heading2"]),
        Paragraph(f"{round_title} · {period}", body),
        Spacer(1, 8 * mm),
        Paragraph(
            _("Made on %(date)s by Klantraat.")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
            small,
        ),
        Paragraph(
            _("The figures are those signed off; later answers do not change them.")
            if signed
            else _("The figures are not signed off and may still change."),
            small,
        ),
        PageBreak(),
        Paragraph(_("Summary"), styles["Heading1"]),
        Paragraph(
            _(
                "%(n)s respondents took part. Figures of groups with fewer than %(t)s respondents are not shown."
            )
            % {"n": respondents, "t": threshold},
            body,
        ),
    ]
    shown = [c for c in cells if not c.suppressed and c.score is not None]
    if shown:
        best = max(shown, key=lambda c: c.score)
        worst = min(shown, key=lambda c: c.score)
        story.append(
            Paragraph(
                _("Strongest cell: %(cell)s (%(score)s). Weakest cell: %(weak)s (%(wscore)s).")
                % {
                    "cell": best.label,
                    "score": fmt_score(best.score),
                    "weak": worst.label,
                    "wscore": fmt_score(worst.score),
                },
                body,
            )
        )
    story += [
        Spacer(1, 4 * mm),
        honeycomb_drawing(cells),
        Spacer(1, 2 * mm),
        Paragraph(
            _("Colours run from light (level 1) to dark (level 5); grey means too few answers."),
            small,
        ),
    ]
    progress(40)
    for name, description, domain_cells in domains:
        story += [PageBreak(), Paragraph(name, styles["Heading1"])]
        if description:
            story.append(Paragraph(description, body))
        rows = [[_("Cell"), _("Score"), _("Respondents"), _("Spread")]]
        for cell in domain_cells:
            if cell.suppressed or cell.score is None:
                rows.append([cell.label, _("too few answers"), "", ""])
            else:
                rows.append(
                    [
                        cell.label,
                        fmt_score(cell.score),
                        str(cell.n),
                        "" if cell.spread is None else fmt_score(cell.spread),
                    ]
                )
        story.append(_table(rows))
        for cell in domain_cells:
            per_group = comments.get(cell.code) or {}
            if per_group:
                story.append(
                    Paragraph(_("Comments on %(cell)s") % {"cell": cell.label}, styles["Heading3"])
                )
                for group, texts in per_group.items():
                    for text in texts[:6]:
                        story.append(Paragraph(f"<i>{group}:</i> {_escape(text)}", small))
    progress(70)
    story += [PageBreak(), Paragraph(_("Largest differences between groups"), styles["Heading1"])]
    if gaps:
        story.append(
            _table(
                [[_("Cell"), _("Group A"), _("Group B"), _("Difference")]]
                + [[c, a, b, fmt_change(g)] for c, a, b, g in gaps]
            )
        )
    else:
        story.append(
            Paragraph(_("No large differences between groups that are big enough to show."), body)
        )
    for section in sections:
        story += [PageBreak(), Paragraph(section.title, styles["Heading1"])]
        story += [Paragraph(_escape(p), body) for p in section.paragraphs]
        if section.table:
            story.append(_table(section.table))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{organisation} – {round_title}",
        author="Klantraat",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    ).build(story)
    progress(95)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dae1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
