"""The contract partner's scorecard as a PowerPoint deck for the quarterly talk, built with the
board pack's slides (``honeycomb.deck``) from the same figures and tables as the page and the
PDF (``pulse.figures.pulse_figures``, ``pulse.report``): nothing under the threshold shows."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import formats
from django.utils.translation import gettext as _
from pptx import Presentation

from honeycomb.deck import HEIGHT, MARGIN, MUTED, WIDTH, bullets_slide, table_slides, text_box

from .report import driver_rows, explanation, moment_rows, summary_text, trend_rows


def build_scorecard_deck(
    *, partner_name: str, organisation_name: str, figures: dict, threshold: int, made_on: dt.date
) -> bytes:
    title = _("Scorecard %(partner)s") % {"partner": partner_name}
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = f"{title} – {organisation_name}"
    deck.core_properties.author = "Klantraat"
    cover = deck.slides.add_slide(deck.slide_layouts[6])
    width = WIDTH - 2 * MARGIN
    text_box(cover, MARGIN, 1600000, width, 900000, [title], 40)
    text_box(cover, MARGIN, 2600000, width, 900000, [organisation_name], 24)
    made = _("Made on %(date)s.") % {"date": formats.date_format(made_on, "DATE_FORMAT")}
    text_box(cover, MARGIN, 4300000, width, 1000000, [made], 14, MUTED)
    bullets_slide(
        deck,
        _("Key figures"),
        [
            summary_text(_("This quarter"), figures["quarter"]),
            summary_text(_("Last 12 months"), figures["year"]),
            explanation(threshold),
        ],
    )
    if figures["moments"]:
        table_slides(deck, _("Per customer moment"), moment_rows(figures["moments"], threshold))
    if figures["drivers"]:
        table_slides(deck, _("Drivers"), driver_rows(figures["drivers"]))
    if figures["trend"]:
        table_slides(deck, _("Rolling 12-month trend"), trend_rows(figures["trend"], threshold))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
