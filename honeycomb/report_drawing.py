"""The honeycomb and its legend as reportlab drawings for the board report PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .board_pack import score_text
from .chart_formats import (
    SUPPRESSED_FILL,
    fmt_score,
    level_colour,
    spread_mark_name,
    text_colour,
)
from .chart_geometry import (
    SPREAD_MARK_AT,
    HexCell,
    below_ambition,
    domain_borders,
    domain_label_positions,
    hexagon_points,
    honeycomb_layout,
)
from .chart_scale import scale_colours
from .report_fonts import FONT, FONT_BOLD, FONT_NARROW_BOLD, SMALLEST_PT, register_fonts

MUTED = colors.HexColor("#4a5565")
INK = colors.HexColor("#1f2933")
AMBITION = colors.HexColor("#b3261e")
LABEL_PT = 10.0  # the domain names around the honeycomb
LABEL_LEADING = 12.0


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
    text: str,
    code: str,
    width: float,
    size: float,
    lines: int = 3,
    least: float = 9.0,
    font: str = FONT_NARROW_BOLD,
) -> tuple[list[str], float]:
    """A cell's name in whole words on at most ``lines`` lines: the largest size from ``size``
    down to ``least`` at which it fits, else the cell's code (the full name is in the table)."""
    sizes = [size - 0.5 * i for i in range(int((size - least) / 0.5) + 1)] + [least]
    for points in sizes:
        out = wrap_label(text, width, font, points, lines=lines)
        if " ".join(out) == " ".join(text.split()):
            return out, points
    return [code], max(size, least)


def honeycomb_drawing(
    cells: list[HexCell],
    width: float = 170 * mm,
    max_height: float = 170 * mm,
    domain_scores: dict[str, str] | None = None,
) -> Drawing:
    """Hexagons in the scale's colours with the cell name, score, ambition and change (only a
    clear one); a dashed inner outline marks a cell below its ambition (as on the page). The
    domain names with their score stand around the honeycomb."""
    register_fonts()
    layout = honeycomb_layout(cells)
    labels, texts, scale, (left, bottom, right, top) = fitted_honeycomb(
        cells, layout, domain_scores or {}, width, max_height
    )
    drawing = Drawing(right - left, top - bottom, initialFontName=FONT)
    radius = 0.97

    def point(x: float, y: float) -> tuple[float, float]:
        return x * scale - left, y * scale - bottom

    size = max(SMALLEST_PT, min(11.0, scale * 0.24))
    for cell in cells:
        cx, cy = layout[cell.code]
        shown = not cell.suppressed and cell.score is not None
        fill = level_colour(cell.score if shown else None)
        corners = [c for x, y in hexagon_points(cx, cy, radius) for c in point(x, y)]
        drawing.add(
            Polygon(
                corners, fillColor=colors.HexColor(fill), strokeColor=colors.white, strokeWidth=1
            )
        )
        if below_ambition(cell):
            inner = [c for x, y in hexagon_points(cx, cy, 0.92) for c in point(x, y)]
            drawing.add(
                Polygon(
                    inner,
                    fillColor=None,
                    strokeColor=colors.HexColor(text_colour(fill)),
                    strokeWidth=1,
                    strokeDashArray=[3, 2],
                )
            )
        px, py = point(cx, cy)
        ink = colors.HexColor(text_colour(fill))
        # Inside the dashed outline (near the edge) of a cell below its ambition, the name keeps clear of it.
        room = scale * (1.50 if below_ambition(cell) else 1.55)
        lines, name_size = fit_label(cell.label, cell.code, room, size, lines=2)
        if lines == [cell.code]:  # a third line before falling back to the code
            lines, name_size = fit_label(cell.label, cell.code, room, SMALLEST_PT, lines=3)
        value = score_text(cell) if shown else _("too few answers")
        extra = []
        if shown and cell.target is not None:
            extra.append(f"→ {cell.target}")
        if shown and cell.change is not None and cell.change_clear:
            extra.append(("▲" if cell.change > 0 else "▼") + fmt_score(abs(cell.change)))
        rows: list[tuple[str, str, float]] = [(line, FONT_NARROW_BOLD, name_size) for line in lines]
        if shown:
            rows.append((value, FONT_BOLD, size * (1.2 if len(lines) < 3 else 1.0)))
        else:  # "too few answers" on two lines at the smallest size
            rows += [
                (line, FONT, SMALLEST_PT) for line in wrap_label(value, room, FONT, SMALLEST_PT)
            ]
        if extra:
            rows.append(("  ".join(extra), FONT, size))
        height = sum(r[2] * 1.15 for r in rows)
        top = py + height / 2
        for text, font, points in rows:
            top -= points * 1.15
            drawing.add(
                String(
                    px,
                    top + points * 0.22,
                    text,
                    fontSize=max(points, SMALLEST_PT),
                    textAnchor="middle",
                    fillColor=ink,
                    fontName=font,
                )
            )
        if shown and cell.disagreement:
            drawing.add(_diamond(*point(cx, cy + SPREAD_MARK_AT + 0.12), scale * 0.09))
    for (x0, y0), (x1, y1) in domain_borders(cells, layout):
        drawing.add(Line(*point(x0, y0), *point(x1, y1), strokeColor=INK, strokeWidth=2))
    for name, (x, y), anchor in labels:
        px, py = point(x, y)
        for i, text in enumerate(texts[name]):
            drawing.add(
                String(
                    px,
                    py - i * LABEL_LEADING,
                    text,
                    fontSize=LABEL_PT,
                    fontName=FONT_NARROW_BOLD,
                    textAnchor={"left": "start", "right": "end"}.get(anchor, "middle"),
                    fillColor=INK,
                )
            )
    return drawing


def fitted_honeycomb(
    cells: list[HexCell],
    layout: dict[str, tuple[float, float]],
    domain_scores: dict[str, str],
    width: float,
    height: float,
    label_pt: float = LABEL_PT,
    font: str = FONT_NARROW_BOLD,
    one_line: bool = False,
):
    """Where the domain names go and the largest scale (points per unit) at which the
    hexagons and the names fit ``width`` × ``height`` points: (labels, the names' lines,
    scale, extent as left, bottom, right, top). Shared by the PDF and the deck."""
    labels = domain_label_positions(cells, layout)
    texts = {
        name: [name] + ([domain_scores[name]] if name in domain_scores else [])
        for name, _p, _a in labels
    }
    if one_line:  # the score after the name (a slide's height goes to the hexagons)
        texts = {name: [" ".join(lines)] for name, lines in texts.items()}
    rows: dict[str, list[float]] = {}
    for cell in cells:
        rows.setdefault(cell.domain_label, []).append(layout[cell.code][1])
    widths = {n: stringWidth(n, font, label_pt) / 50 for n in texts}
    labels = _tight_labels(labels, layout, rows, widths)
    scale, box = _fit_scale(layout, labels, texts, width, height, label_pt, font)
    return labels, texts, scale, box


def _tight_labels(
    labels: list[tuple[str, tuple[float, float], str]],
    layout: dict[str, tuple[float, float]],
    rows: dict[str, list[float]],
    widths: dict[str, float],
) -> list[tuple[str, tuple[float, float], str]]:
    """Names beside the honeycomb sit just clear of the cells, at the height of one of their
    domain's rows where they reach out least (the page's width goes to the hexagons and their
    names); names above and below sit just clear of the top and bottom rows. ``widths`` are
    the names' widths in units of a hexagon's radius at a typical scale."""
    out = []
    for name, (x, y), anchor in labels:
        if anchor in ("left", "right"):
            side = 1 if anchor == "left" else -1
            candidates = []
            for row in rows.get(name, [y]):
                near = [cx for cx, cy in layout.values() if abs(cy - row) < 1.25]
                edge = (max(near) + 1.0) if side > 0 else (min(near) - 1.0)
                reach = side * (edge + side * widths[name])
                candidates.append((round(reach, 2), abs(row - y), edge, row + 0.06))
            _reach, _dy, x, y = min(candidates)
        column = [cy for cx, cy in layout.values() if abs(cx - x) < 1.8]
        if anchor == "center" and column and y > max(column):
            y = max(column) + 1.25
        elif anchor == "center" and column and y < min(column):
            y = min(column) - 1.45
        out.append((name, (x, y), anchor))
    return out


def _fit_scale(
    layout: dict[str, tuple[float, float]],
    labels: list[tuple[str, tuple[float, float], str]],
    texts: dict[str, list[str]],
    width: float,
    max_height: float,
    label_pt: float,
    font: str,
) -> tuple[float, tuple[float, float, float, float]]:
    """The largest scale (points per unit) at which the hexagons and the domain names around
    them fit the box, with the drawing's extent (left, bottom, right, top) in points."""
    scale = 80.0
    while True:
        xs0 = [x * scale - 0.85 * scale for x, _y in layout.values()]
        xs1 = [x * scale + 0.85 * scale for x, _y in layout.values()]
        ys0 = [y * scale - 0.98 * scale for _x, y in layout.values()]
        ys1 = [y * scale + 0.98 * scale for _x, y in layout.values()]
        for name, (x, y), anchor in labels:
            w = max(stringWidth(t, font, label_pt) for t in texts[name])
            start = {"left": 0.0, "right": -w}.get(anchor, -w / 2)
            xs0.append(x * scale + start)
            xs1.append(x * scale + start + w)
            ys1.append(y * scale + label_pt)
            ys0.append(y * scale - label_pt * 1.2 * (len(texts[name]) - 1) - 3)
        box = (min(xs0), min(ys0), max(xs1), max(ys1))
        if (box[2] - box[0] <= width and box[3] - box[1] <= max_height) or scale <= 10:
            return scale, box
        scale -= 0.5


def _diamond(x: float, y: float, half: float) -> Polygon:
    """The mark of a cell whose respondents disagree (as on the results page)."""
    return Polygon(
        [x, y + half, x + half, y, x, y - half, x - half, y],
        fillColor=colors.black,
        strokeColor=colors.white,
        strokeWidth=0.8,
    )


def legend_drawing(width: float = 170 * mm, level_names: dict[int, str] | None = None) -> Drawing:
    """The continuous colour scale with its levels, grey for hidden figures, and what the
    marks in a cell mean (the same key as the page's)."""
    register_fonts()
    drawing = Drawing(width, 27 * mm, initialFontName=FONT)
    bar_y, bar_h = 22 * mm, 4 * mm
    colours = scale_colours()
    step = width / len(colours)
    for i, colour in enumerate(colours):
        drawing.add(
            Rect(
                i * step,
                bar_y,
                step + 0.3,
                bar_h,
                fillColor=colors.HexColor(colour),
                strokeWidth=0,
            )
        )
    for level in range(1, 6):
        x = (level - 1) / 4 * (width - step) + step / 2
        name = f"{level} {(level_names or {}).get(level, '')}".strip()
        drawing.add(Line(x, bar_y - 1 * mm, x, bar_y, strokeColor=MUTED, strokeWidth=0.8))
        drawing.add(
            String(
                x,
                bar_y - 4.5 * mm,
                name,
                fontSize=SMALLEST_PT,
                fontName=FONT,
                textAnchor="start" if level == 1 else "end" if level == 5 else "middle",
                fillColor=MUTED,
            )
        )
    row = 11 * mm
    drawing.add(
        Rect(
            0,
            row - 0.6 * mm,
            7 * mm,
            3.6 * mm,
            fillColor=colors.HexColor(SUPPRESSED_FILL),
            strokeColor=MUTED,
            strokeWidth=0.4,
        )
    )
    drawing.add(
        String(
            9 * mm, row, _("too few answers"), fontSize=SMALLEST_PT, fontName=FONT, fillColor=MUTED
        )
    )
    x = 9 * mm + stringWidth(_("too few answers"), FONT, SMALLEST_PT) + 6 * mm
    drawing.add(_diamond(x + 1.6 * mm, row + 1.2 * mm, 1.6 * mm))
    drawing.add(
        String(
            x + 5 * mm,
            row,
            spread_mark_name(),
            fontSize=SMALLEST_PT,
            fontName=FONT,
            fillColor=MUTED,
        )
    )
    lines = wrap_label(
        _(
            "The darker, the higher.  → 4: ambition; dashed inner outline: below the ambition.  ▲/▼: a change larger than its uncertainty."
        ),
        width,
        FONT,
        SMALLEST_PT,
        lines=3,
    )
    for i, line in enumerate(lines):
        drawing.add(
            String(
                0, 6 * mm - i * 4 * mm, line, fontSize=SMALLEST_PT, fontName=FONT, fillColor=MUTED
            )
        )
    return drawing
