"""Bearer tokens for the APIs (the results API's personal tokens, the pulse's ingest tokens):
one rule for both. A token is refused with 401 and a message that says why (unknown or
revoked, or expired on a given date), so whoever runs the BI tool or the integration knows
what to do; the raw token is never stored, only its SHA-256."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError

from .tokens import looks_like_token, token_digest

# How finely "last used" is kept: once a minute is enough to see whether a token is in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

TOKEN_UNKNOWN = gettext_lazy("This token is unknown or has been revoked.")
TOKEN_EXPIRED = gettext_lazy("This token expired on %(date)s: create or ask for a new one.")


def bearer_record(records: QuerySet, token: str):
    """The record of a valid token (its last use noted, to the minute), or AuthenticationError (401).
    ``records`` is what may authenticate here: ``AccessToken.objects.for_scope(...)``, so a
    token of another scope is as unknown as a revoked one."""
    record = (
        records.filter(token_hash=token_digest(token)).first() if looks_like_token(token) else None
    )
    if record is None or record.revoked_at is not None:
        raise AuthenticationError(message=str(TOKEN_UNKNOWN))
    now = timezone.now()
    if record.expires_at <= now:
        date = formats.date_format(timezone.localtime(record.expires_at), "DATE_FORMAT")
        raise AuthenticationError(message=str(TOKEN_EXPIRED % {"date": date}))
    # At most one write a minute per token: a BI refresh fires many requests in a burst, and a
    # write per request would make every read a write. The filter keeps concurrent requests
    # from writing twice.
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        records.model.objects.filter(pk=record.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        record.last_used_at = now
    return record
