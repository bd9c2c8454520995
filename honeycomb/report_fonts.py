"""The board pack's font, embedded in every PDF: DejaVu Sans (shipped in ``honeycomb/fonts``,
free licence beside it). The PDF's standard Helvetica is not embedded, so a reader's viewer
substituted its own, and it has no ▲/▼/→; DejaVu has them and looks the same everywhere."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "KlantraatSans"
FONT_BOLD = "KlantraatSans-Bold"
FONT_NARROW_BOLD = "KlantraatSansCondensed-Bold"  # names inside the hexagons
SMALLEST_PT = 9.0  # no text in the PDF or the deck is smaller
FOLDER = Path(__file__).resolve().parent / "fonts"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FOLDER / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_NARROW_BOLD, str(FOLDER / "DejaVuSansCondensed-Bold.ttf")))
    # <b> and <i> in paragraphs: bold is the bold face, italic stays upright (no italic face).
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def report_styles() -> StyleSheet1:
    """reportlab's sample styles in the embedded font."""
    register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        name = getattr(style, "fontName", "")
        if name:
            style.fontName = FONT_BOLD if "Bold" in name else FONT
    return styles
