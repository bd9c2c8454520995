"""Colours and numbers in the charts: the level colour scale, text that keeps AA contrast on
it, and scores in the active language's number format."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

from .chart_scale import scale_colour
from .scoring_rules import DISAGREEMENT_SPREAD

SUPPRESSED_FILL = "#eceff3"
DARK_TEXT = "#000000"  # black on the mid tones keeps AA contrast at any score
LIGHT_TEXT = "#ffffff"


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def level_colour(score: float | None) -> str:
    """The colour of a score on the continuous scale (``chart_scale``): scores 0,3 apart
    look different, equal shown scores look the same. Grey when there is no score."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return SUPPRESSED_FILL
    return scale_colour(score)


# The scale's colours at the whole levels, for the legends' ticks.
LEVEL_COLOURS = tuple(scale_colour(level) for level in range(1, 6))


def level_band(score: float) -> int:
    """The level a score counts as in colours: half up, so 2,5 is level 3."""
    return min(int(min(max(score, 1.0), 5.0) + 0.5), 5)


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    return (
        DARK_TEXT
        if contrast_ratio(fill, DARK_TEXT) >= contrast_ratio(fill, LIGHT_TEXT)
        else LIGHT_TEXT
    )


def fmt_score(value: float, places: int = 1) -> str:
    """A number in the active language's format: "3,7" in Dutch, "3.7" in English. Rounded
    half up like the pages' ``floatformat`` (Django's number_format alone would cut 3,39 to
    3,3 where the table beside the chart says 3,4)."""
    exact = Decimal(repr(float(value)))
    return number_format(exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), places)


def fmt_change(value: float) -> str:
    return ("+" if value >= 0 else "-") + fmt_score(abs(value))


def separators() -> str:
    """plotly's `separators` (decimal, then thousands) for the active language."""
    return f"{get_format('DECIMAL_SEPARATOR')}{get_format('THOUSAND_SEPARATOR')}"


def spread_mark_name() -> str:
    """The legend's words for the disagreement mark (a small diamond on the cell) in the
    charts, the board report and the deck."""
    return _("Respondents disagree (spread ≥ %(spread)s)") % {
        "spread": fmt_score(DISAGREEMENT_SPREAD)
    }
