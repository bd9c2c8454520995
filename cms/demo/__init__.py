"""Realistic demo data, loaded idempotently: running it twice gives the same data.

Fictional corporations, users for every role, the default model, a closed round with enough
answers per group to show results, and an open round with personal links.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from .pages import ensure_pages
from .people import DEMO_PASSWORD, DemoSummary, ensure_people
from .pulse import ensure_pulse, survey_links
from .rounds import ensure_default_model, ensure_rounds

__all__ = ["DEMO_PASSWORD", "DemoSummary", "ensure_default_model", "ensure_pages", "load_demo"]


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary()
    ensure_pages()
    version = ensure_default_model()
    organisations = ensure_people(summary)
    ensure_rounds(summary, organisations, version)
    linde = organisations["woonstichting-de-linde"]
    summary.logins += ensure_pulse(linde, DEMO_PASSWORD)
    summary.respondent_links += survey_links(linde, settings.KLANTRAAT_BASE_URL)
    return summary
