"""A round's period as a label made from its dates, in the active language: "mei–juni 2026"
on a Dutch page, "May–June 2026" on an English one. The round's own period field is free
text in one language ("najaar 2025"), so charts, tables and the board pack use this."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def period_label(opens_on: dt.date | None, closes_on: dt.date | None) -> str:
    if opens_on is None or closes_on is None:
        day = closes_on or opens_on
        return date_format(day, "F Y") if day else ""
    if (opens_on.year, opens_on.month) == (closes_on.year, closes_on.month):
        return date_format(closes_on, "F Y")
    if opens_on.year == closes_on.year:
        return f"{date_format(opens_on, 'F')}–{date_format(closes_on, 'F Y')}"
    return f"{date_format(opens_on, 'F Y')} – {date_format(closes_on, 'F Y')}"


def period_of(scan_round) -> str:
    """The label of a round (anything with ``opens_on`` and ``closes_on``)."""
    return period_label(
        getattr(scan_round, "opens_on", None), getattr(scan_round, "closes_on", None)
    )


QUARTER = re.compile(r"^(\d{4})-[KQ]([1-4])$", re.IGNORECASE)


def quarter_label(period: str) -> str:
    """A measure's quarter in the active language ("2025-K4" on a Dutch page, "2025-Q4" on an
    English one); any other period text as it was imported."""
    found = QUARTER.match(period.strip())
    if not found:
        return period
    return _("%(year)s-Q%(quarter)s") % {"year": found.group(1), "quarter": found.group(2)}
