"""The honeycomb and its legend as reportlab drawings for the board report PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .board_pack import change_text, score_text
from .chart_formats import (
    LEVEL_COLOURS,
    SUPPRESSED_FILL,
    level_colour,
    spread_mark_name,
    text_colour,
)
from .chart_geometry import (
    SPREAD_MARK_AT,
    HexCell,
    domain_borders,
    domain_label_positions,
    hexagon_points,
    honeycomb_layout,
)

MUTED = colors.HexColor("#4a5565")
INK = colors.HexColor("#1f2933")
AMBITION = colors.HexColor("#b3261e")


def wrap_label(text: str, width: float, font: str, size: float, lines: int = 2) -> list[str]:
    """Words on at most ``lines`` lines that fit ``width``; a word that does not fit is cut
    with an ellipsis only on the last line (the full name is in the table)."""
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1 :])]
    last = out[-1] if out else ""
    while out and stringWidth(last, font, size) > width and len(last) > 2:
        last = last[:-2].rstrip() + "…"
        out[-1] = last
    return out


def fit_label(
    text: str, code: str, width: float, size: float, lines: int = 3, least: float = 5.0
) -> tuple[list[str], float]:
    """A cell's name in whole words on at most ``lines`` lines: the largest size from ``size``
    down to ``least`` at which it fits, else the cell's code (the full name is in the table)."""
    points = size
    while points >= least:
        out = wrap_label(text, width, "Helvetica-Bold", points, lines=lines)
        if " ".join(out) == " ".join(text.split()):
            return out, points
        points -= 0.5
    return [code], size


def honeycomb_drawing(
    cells: list[HexCell], width: float = 170 * mm, max_height: float = 150 * mm
) -> Drawing:
    """Hexagons in level colours with the cell name, score, ambition and change; a dashed
    red outline marks a cell below its ambition."""
    layout = honeycomb_layout(cells)
    labels = domain_label_positions(cells, layout)
    # The domain names sit around the honeycomb: room for them left, right, above and below.
    xs = [x for x, _y in layout.values()] + [x for _n, (x, _y), _a in labels]
    ys = [y for _x, y in layout.values()] + [y for _n, (_x, y), _a in labels]
    side = 4.0 if labels else 1.1
    span_x = (max(xs) - min(xs) + 2 * side) or 1
    span_y = (max(ys) - min(ys) + 2.4) or 1
    scale = min(width / span_x, max_height / span_y)
    drawing = Drawing(span_x * scale, span_y * scale)
    radius = 0.97

    def point(x: float, y: float) -> tuple[float, float]:
        return (x - min(xs) + side) * scale, (y - min(ys) + 1.2) * scale

    label_size = max(5.5, min(8.0, scale * 0.17))
    for cell in cells:
        cx, cy = layout[cell.code]
        shown = not cell.suppressed and cell.score is not None
        fill = level_colour(cell.score if shown else None)
        corners = [c for x, y in hexagon_points(cx, cy, radius) for c in point(x, y)]
        below = shown and cell.target is not None and cell.score < cell.target
        drawing.add(
            Polygon(
                corners,
                fillColor=colors.HexColor(fill),
                strokeColor=AMBITION if below else colors.white,
                strokeWidth=1.6 if below else 1,
                strokeDashArray=[3, 2] if below else None,
            )
        )
        px, py = point(cx, cy)
        ink = colors.HexColor(text_colour(fill))
        lines, name_size = fit_label(cell.label, cell.code, scale * 1.5, label_size)
        top = py + label_size * (0.4 + 0.55 * len(lines))
        for i, line in enumerate(lines):
            drawing.add(
                String(
                    px,
                    top - i * label_size * 1.1,
                    line,
                    fontSize=name_size,
                    textAnchor="middle",
                    fillColor=ink,
                    fontName="Helvetica-Bold",
                )
            )
        value = score_text(cell) if shown else _("too few answers")
        extra = []
        if shown and cell.target is not None:
            extra.append(f"→ {cell.target}")
        if shown and cell.change is not None:
            extra.append(change_text(cell.change))
        drawing.add(
            String(
                px,
                py - label_size * 1.3,
                value,
                fontSize=label_size * (1.5 if shown else 0.9),
                textAnchor="middle",
                fillColor=ink,
                fontName="Helvetica-Bold" if shown else "Helvetica",
            )
        )
        if extra:
            drawing.add(
                String(
                    px,
                    py - label_size * 2.6,
                    "  ".join(extra),
                    fontSize=label_size,
                    textAnchor="middle",
                    fillColor=ink,
                    fontName="Helvetica",
                )
            )
        if shown and cell.disagreement:
            drawing.add(_diamond(*point(cx, cy + SPREAD_MARK_AT), scale * 0.1))
    for (x0, y0), (x1, y1) in domain_borders(cells, layout):
        drawing.add(Line(*point(x0, y0), *point(x1, y1), strokeColor=INK, strokeWidth=2))
    for name, (x, y), anchor in labels:
        px, py = point(x, y)
        drawing.add(
            String(
                px,
                py,
                name,
                fontSize=9,
                fontName="Helvetica-Bold",
                textAnchor={"left": "start", "right": "end"}.get(anchor, "middle"),
                fillColor=INK,
            )
        )
    return drawing


def _diamond(x: float, y: float, half: float) -> Polygon:
    """The mark of a cell whose respondents disagree (as on the results page)."""
    return Polygon(
        [x, y + half, x + half, y, x, y - half, x - half, y],
        fillColor=colors.black,
        strokeColor=colors.white,
        strokeWidth=0.8,
    )


def legend_drawing(width: float = 170 * mm) -> Drawing:
    """The level colours, grey for hidden figures, and what the marks in a cell mean."""
    drawing = Drawing(width, 16 * mm)
    box = 7 * mm
    for i, colour in enumerate(LEVEL_COLOURS):
        x = i * (box + 1 * mm)
        drawing.add(Rect(x, 8 * mm, box, 5 * mm, fillColor=colors.HexColor(colour), strokeWidth=0))
        drawing.add(
            String(
                x + box / 2,
                9.3 * mm,
                str(i + 1),
                fontSize=7,
                fontName="Helvetica",
                textAnchor="middle",
                fillColor=colors.HexColor(text_colour(colour)),
            )
        )
    x = 5 * (box + 1 * mm) + 2 * mm
    drawing.add(
        Rect(x, 8 * mm, box, 5 * mm, fillColor=colors.HexColor(SUPPRESSED_FILL), strokeWidth=0)
    )
    drawing.add(
        String(
            x + box + 2 * mm,
            9.3 * mm,
            _("too few answers"),
            fontSize=7,
            fontName="Helvetica",
            fillColor=MUTED,
        )
    )
    x += box + 2 * mm + stringWidth(_("too few answers"), "Helvetica", 7) + 5 * mm
    drawing.add(_diamond(x + 1.6 * mm, 10.5 * mm, 1.6 * mm))
    drawing.add(String(x + 4.5 * mm, 9.3 * mm, spread_mark_name(), fontSize=7, fillColor=MUTED))
    drawing.add(
        String(
            0,
            2 * mm,
            _(
                "Level 1 (light) to 5 (dark).  → 4: ambition.  ▲/▼: change since the previous round.  Red dashed edge: below the ambition."
            ),
            fontSize=7,
            fontName="Helvetica",
            fillColor=MUTED,
        )
    )
    return drawing
