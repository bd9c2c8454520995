"""Changing a round after it was created: its title, period label, dates and threshold.

The dates record what happened: a round that closed early keeps the day it closed, and a
consultant may correct the dates of a closed round afterwards. The threshold may change only
while nobody has answered, so no published figure was ever computed with another one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import ScanError
from ..models import Answer, RoundStatus, ScanRound

ROUND_SIGNED_EDIT = gettext_lazy(
    "This round's evaluation has been signed off: its details are frozen. A director can "
    "withdraw the sign-off, giving a reason."
)
THRESHOLD_LOCKED = gettext_lazy(
    "The threshold cannot change any more: people have answered with this threshold in mind."
)
CLOSES_BEFORE_OPENS = gettext_lazy("The closing date must be on or after the opening date.")
OPEN_CLOSES_IN_PAST = gettext_lazy(
    "An open round cannot close in the past: use “Close round” to close it today."
)
CLOSED_CLOSES_LATER = gettext_lazy(
    "This round has closed: its closing date is the day it closed, today or earlier."
)
OPENED_OPENS_LATER = gettext_lazy(
    "This round has already opened: its opening date is today or earlier."
)
# Many people are away over Christmas and New Year: a round that opens then gets few answers.
HOLIDAY_START = (12, 18)


@dataclass(frozen=True)
class RoundChange:
    title: str
    period: str
    opens_on: dt.date
    closes_on: dt.date
    min_group_size: int


def round_has_answers(scan_round: ScanRound) -> bool:
    return (
        Answer.objects.filter(respondent__round=scan_round).exists()
        or scan_round.respondents.filter(submitted_at__isnull=False).exists()
    )


def round_date_warnings(opens_on: dt.date, closes_on: dt.date) -> list[str]:
    """What a consultant should know about a round's dates before opening it (not errors)."""
    warnings = []
    if (opens_on.month, opens_on.day) >= HOLIDAY_START:
        warnings.append(
            _(
                "The round opens on %(date)s, in the last days of December: many people are "
                "away then. Consider opening it in January."
            )
            % {"date": date_format(opens_on, "DATE_FORMAT")}
        )
    return warnings


def _check(scan_round: ScanRound, change: RoundChange, today: dt.date) -> None:
    if change.closes_on < change.opens_on:
        raise ScanError(CLOSES_BEFORE_OPENS, code="dates")
    if scan_round.status == RoundStatus.OPEN and change.closes_on < today:
        raise ScanError(OPEN_CLOSES_IN_PAST, code="dates")
    if scan_round.status == RoundStatus.CLOSED and change.closes_on > today:
        raise ScanError(CLOSED_CLOSES_LATER, code="dates")
    if scan_round.status != RoundStatus.DRAFT and change.opens_on > today:
        raise ScanError(OPENED_OPENS_LATER, code="dates")
    if change.min_group_size != scan_round.min_group_size and round_has_answers(scan_round):
        raise ScanError(THRESHOLD_LOCKED, code="threshold")


@transaction.atomic
def round_update(*, scan_round: ScanRound, change: RoundChange, user=None) -> list[str]:
    """Change a round's details; returns the names of the fields that changed (audited with
    their old and new values). Nothing is written when a rule refuses the change."""
    from core.audit import audit

    locked = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if locked.signed_at is not None:
        raise ScanError(ROUND_SIGNED_EDIT, code="signed")
    _check(locked, change, timezone.localdate())
    changed = {}
    for name in ("title", "period", "opens_on", "closes_on", "min_group_size"):
        old, new = getattr(locked, name), getattr(change, name)
        if old != new:
            changed[name] = f"{old} → {new}"
            setattr(locked, name, new)
    if not changed:
        return []
    try:
        locked.full_clean()
    except ValidationError as exc:
        raise ScanError(exc.messages[0], code="invalid") from exc
    locked.save(update_fields=[*changed, "updated_at"])
    audit("round_edited", organisation=locked.organisation, actor=user, round=locked.pk, **changed)
    for name in changed:
        setattr(scan_round, name, getattr(locked, name))
    return list(changed)
