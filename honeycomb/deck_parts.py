"""The deck's building blocks: the slide frame (title, footer, slide number), text boxes and
tables over as many slides as they need, split evenly, columns fitted so no word breaks.
Shared by the board deck and the tenant pulse's partner scorecard."""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation
from pptx.util import Emu, Pt
from reportlab.pdfbase.pdfmetrics import stringWidth

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9
MARGIN = Emu(457200)  # 0.5 inch
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x4A, 0x55, 0x65)
AMBITION = RGBColor(0xB3, 0x26, 0x1E)
ROWS_PER_SLIDE = 12
LABEL_MIN_PT = 9  # the smallest text on a slide (as in the PDF)
LABEL_TYPEFACE = "Arial"  # on every PowerPoint; LibreOffice uses the metric twin
LABEL_FONT = "Helvetica-Bold"  # Arial Bold's metrics, for measuring a word's width
LABEL_SLACK = 0.92  # room for rendering differences between programs
LABEL_MARGIN = Emu(15000)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _blank(deck: Presentation, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = slide.shapes.add_textbox(MARGIN, Emu(300000), WIDTH - 2 * MARGIN, Emu(700000))
    paragraph = box.text_frame.paragraphs[0]
    paragraph.text = title
    paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(28), True, INK
    footer = slide.shapes.add_textbox(MARGIN, HEIGHT - Emu(420000), WIDTH - 2 * MARGIN, Emu(300000))
    line = footer.text_frame.paragraphs[0]
    line.text = f"Klantraat · {deck.core_properties.title}"
    line.font.size, line.font.color.rgb = Pt(10), MUTED
    # The slide's number, bottom right: a board refers to "slide 5".
    number = slide.shapes.add_textbox(
        WIDTH - MARGIN - Emu(900000), HEIGHT - Emu(420000), Emu(900000), Emu(300000)
    )
    number.name = "Slide number"
    mark = number.text_frame.paragraphs[0]
    mark.text = str(len(deck.slides))
    mark.alignment = PP_ALIGN.RIGHT
    mark.font.size, mark.font.color.rgb = Pt(12), MUTED
    return slide


def _text(slide, left, top, width, height, lines: list[str], size: int = 18, colour=INK):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, text in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size, paragraph.font.color.rgb = Pt(size), colour
        paragraph.space_after = Pt(6)
    return box


def _table_slides(
    deck: Presentation, title: str, rows: list[list[str]], intro: list[str] | None = None
) -> None:
    """A table over as many slides as it needs; ``intro`` lines above it on the first."""
    header, body = rows[0], rows[1:]
    # As few slides as the rows need, the rows shared evenly: never a slide of leftovers.
    slides = max(1, -(-len(body) // ROWS_PER_SLIDE))
    size = -(-len(body) // slides) if body else 0
    chunks = [body[i : i + size] for i in range(0, len(body), size)] if body else [[]]
    points, widths = table_layout(rows, WIDTH - 2 * MARGIN)
    for number, chunk in enumerate(chunks, start=1):
        heading = title if len(chunks) == 1 else f"{title} ({number}/{len(chunks)})"
        slide = _blank(deck, heading)
        top = Emu(1150000)
        if intro and number == 1:
            lines = intro_lines(intro[:3], (WIDTH - 2 * MARGIN) / 12700, 14)
            height = Emu(int(14 * 1.25 * 12700) * lines + Emu(76200) * len(intro[:3]))
            _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, height, intro[:3], 14, MUTED)
            top = Emu(top + height + Emu(120000))  # the table below the text, never over it
        height = Emu(370000 * (len(chunk) + 1))
        shape = slide.shapes.add_table(
            len(chunk) + 1, len(header), MARGIN, top, WIDTH - 2 * MARGIN, height
        )
        table = shape.table
        for c, width in enumerate(widths):
            table.columns[c].width = width
        for r, row in enumerate([header, *chunk]):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.text = str(value)
                cell.text_frame.word_wrap = True
                paragraph = cell.text_frame.paragraphs[0]
                paragraph.font.size, paragraph.font.bold = Pt(points), r == 0
                paragraph.font.name = LABEL_TYPEFACE
                if c > 0 and r > 0 and _looks_numeric(str(value)):
                    paragraph.alignment = PP_ALIGN.RIGHT


CELL_MARGIN_PT = 7.2  # PowerPoint's default left and right margin of a table cell
TABLE_SLACK = 0.85  # room for a wider substitute font (LibreOffice without Arial)


def table_layout(rows: list[list[str]], total: int, size: int = 12) -> tuple[int, list[int]]:
    """The font size and column widths (EMU) of a table: every column at least as wide as
    its longest word (bold in the head), so no word is ever broken; what is left is shared
    by what the columns' full text wants. Smaller type (down to LABEL_MIN_PT) only when the
    longest words do not fit side by side at ``size``."""
    total_pt = total / 12700
    columns = max(len(r) for r in rows)
    for points in range(size, LABEL_MIN_PT - 1, -1):
        least, natural = [0.0] * columns, [0.0] * columns
        for r, row in enumerate(rows):
            font = LABEL_FONT if r == 0 else "Helvetica"
            for c, value in enumerate(row):
                pad = 2 * CELL_MARGIN_PT + 2
                words = [stringWidth(w, font, points) for w in str(value).split()] or [0.0]
                least[c] = max(least[c], max(words) / TABLE_SLACK + pad)
                natural[c] = max(natural[c], stringWidth(str(value), font, points) + pad)
        if sum(least) <= total_pt or points == LABEL_MIN_PT:
            break
    room = max(total_pt - sum(least), 0.0)
    wants = [max(n - w, 0.0) for n, w in zip(natural, least, strict=True)]
    share = min(1.0, room / sum(wants)) if sum(wants) else 0.0
    widths = [w + want * share for w, want in zip(least, wants, strict=True)]
    widths[0] += max(total_pt - sum(widths), 0.0)
    return points, [int(w * 12700) for w in widths]


def intro_lines(paragraphs: list[str], width_pt: float, size: int) -> int:
    """How many lines the paragraphs take when wrapped at ``width_pt`` (a wider substitute
    font allowed for)."""
    total = 0
    for text in paragraphs:
        line, count = "", 1
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if stringWidth(candidate, "Helvetica", size) / TABLE_SLACK > width_pt - 15 and line:
                count, line = count + 1, word
            else:
                line = candidate
        total += count
    return total


def _bullets_slide(deck: Presentation, title: str, paragraphs: list[str]) -> None:
    slide = _blank(deck, title)
    _text(slide, MARGIN, Emu(1150000), WIDTH - 2 * MARGIN, Emu(4800000), paragraphs[:10], 16)


def _looks_numeric(value: str) -> bool:
    return bool(value) and value.lstrip("+-−▲▼ ").replace(",", "").replace(".", "").isdigit()
