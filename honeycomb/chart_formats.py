"""Colours and numbers in the charts: the level colour scale, text that keeps AA contrast on
it, and scores in the active language's number format."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

# Text colours and contrast are colour maths and live with the scale; named here too, where
# the charts have always found them.
from .chart_scale import DARK_TEXT as DARK_TEXT
from .chart_scale import LIGHT_TEXT as LIGHT_TEXT
from .chart_scale import contrast_ratio as contrast_ratio
from .chart_scale import relative_luminance as relative_luminance
from .chart_scale import scale_colour
from .chart_scale import text_colour as text_colour
from .scoring_rules import DISAGREEMENT_SPREAD

SUPPRESSED_FILL = "#eceff3"


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
