"""How the pulse names a customer moment to the tenant: in natural words, with its day and,
where known, the contractor ("Hoe ging de reparatie op 3 december door Bouwbedrijf Jansen?").

A mail that only says "Reparatie" looks like phishing; the day and the contractor show the
tenant that the sender knows what happened. Pure: an event in, text out.
"""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import MomentKind, PulseEvent


def day(value: dt.date, language: str) -> str:
    """ "3 december" or "3 December": the day without the year (the moment was recent)."""
    with translation.override(language):
        return date_format(value, "j F")


def moment_question(event: PulseEvent, language: str) -> str:
    """The survey's question about this event, in ``language``."""
    with translation.override(language):
        values = {
            "date": day(event.occurred_on, language),
            "partner": event.partner.name if event.partner is not None else "",
            "moment": moment_name_in_sentence(event.moment.name(language)),
        }
        kind = event.moment.kind
        if kind == MomentKind.REPAIR:
            if values["partner"]:
                return _("How did the repair on %(date)s by %(partner)s go?") % values
            return _("How did the repair on %(date)s go?") % values
        if kind == MomentKind.MOVE_IN:
            return _("How did your move into your new home on %(date)s go?") % values
        if kind == MomentKind.MOVE_OUT:
            return _("How did the handover of your old home on %(date)s go?") % values
        if values["partner"]:
            return _("How did your %(moment)s on %(date)s with %(partner)s go?") % values
        return _("How did your %(moment)s on %(date)s go?") % values


def sender(organisation_name: str) -> str:
    """The corporation's name on the platform's own address (which stays the envelope)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@klantraat.nl"
    return formataddr((organisation_name, address))


def moment_name_in_sentence(text: str) -> str:
    """A moment's name as a word mid-sentence: "Reparatie" becomes "reparatie"."""
    # A moment's name is written as a title ("Woningruil"); mid-sentence it is lower case,
    # unless it starts with an abbreviation ("CV-ketel").
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
