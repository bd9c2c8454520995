"""Scan rounds: creation with their respondent groups, and status changes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import ScanError
from ..modeldoc import GROUP_CODES
from ..models import (
    ModelVersion,
    RespondentGroup,
    RoundStatus,
    ScanRound,
)

# --- rounds ------------------------------------------------------------------------------------


DEFAULT_GROUP_NAMES = {
    "board": "Bestuur en MT",
    "managers": "Leidinggevenden",
    "staff": "Medewerkers",
    "partners": "Ketenpartners",
    "tenants": "Huurders",
}


@transaction.atomic
def round_create(
    *,
    organisation,
    title: str,
    period: str,
    opens_on: dt.date,
    closes_on: dt.date,
    model_version: ModelVersion,
    group_kinds: list[str] | None = None,
    min_group_size: int = 5,
    created_by=None,
    previous_round: ScanRound | None = None,
) -> ScanRound:
    scan_round = ScanRound(
        organisation=organisation,
        title=title,
        period=period,
        opens_on=opens_on,
        closes_on=closes_on,
        model_version=model_version,
        min_group_size=min_group_size,
        created_by=created_by,
        previous_round=previous_round,
    )
    scan_round.full_clean()
    scan_round.save()
    kinds = group_kinds or list(GROUP_CODES)
    for position, kind in enumerate(k for k in GROUP_CODES if k in kinds):
        RespondentGroup.objects.create(
            round=scan_round, kind=kind, name=DEFAULT_GROUP_NAMES[kind], position=position
        )
    return scan_round


ROUND_SIGNED = gettext_lazy(
    "This round's evaluation has been signed off, so the round cannot be opened again. "
    "A director can withdraw the sign-off, giving a reason."
)
ROUND_CLOSED_HOOK = "klantraat_round_closed"
ROUND_AUDIT: dict[tuple[str, str], str] = {
    (RoundStatus.DRAFT, RoundStatus.OPEN): "round_opened",
    (RoundStatus.OPEN, RoundStatus.CLOSED): "round_closed",
    (RoundStatus.CLOSED, RoundStatus.OPEN): "round_reopened",
}


def round_status_problem(scan_round: ScanRound, status: str) -> str | None:
    """Why the round cannot go to ``status`` now, or None: asked before a confirmation page
    is shown, so no confirmation ends in a refusal."""
    if scan_round.signed_at is not None or (
        ScanRound.objects.filter(pk=scan_round.pk, signed_at__isnull=False).exists()
    ):
        return str(ROUND_SIGNED)
    allowed: dict[str, set[str]] = {
        RoundStatus.DRAFT: {RoundStatus.OPEN},
        RoundStatus.OPEN: {RoundStatus.CLOSED},
        RoundStatus.CLOSED: {RoundStatus.OPEN},
    }
    if status not in allowed[scan_round.status]:
        return _("A round cannot go from %(old)s to %(new)s.") % {
            "old": scan_round.get_status_display().lower(),
            "new": str(dict(RoundStatus.choices).get(status, status)).lower(),
        }
    if status == RoundStatus.OPEN and scan_round.closes_on < timezone.localdate():
        return _("The closing date has passed: move it before opening the round.")
    return None


@transaction.atomic
def round_set_status(*, scan_round: ScanRound, status: str, user=None) -> ScanRound:
    problem = round_status_problem(scan_round, status)
    if problem is not None:
        signed = scan_round.signed_at is not None or problem == str(ROUND_SIGNED)
        raise ScanError(problem, code="signed" if signed else "status")
    previous = scan_round.status
    scan_round.status = status
    fields = ["status", "updated_at"]
    today = timezone.localdate()
    # The dates record what happened: opened early or closed early is the day it happened.
    if status == RoundStatus.OPEN and scan_round.opens_on > today:
        scan_round.opens_on = today
        fields.append("opens_on")
    if status == RoundStatus.CLOSED and scan_round.closes_on > today:
        scan_round.closes_on = max(today, scan_round.opens_on)
        fields.append("closes_on")
    scan_round.save(update_fields=fields)
    from core.audit import audit

    audit(
        ROUND_AUDIT[(previous, status)],
        organisation=scan_round.organisation,
        actor=user,
        round=scan_round.pk,
    )
    if status == RoundStatus.CLOSED:
        # The apps above publish the round's figures (the honeycomb's closing release) in
        # this same transaction: a round is never closed without them.
        from wagtail import hooks

        for hook in hooks.get_hooks(ROUND_CLOSED_HOOK):
            hook(scan_round, user)
    return scan_round


ROUND_NOT_DRAFT = gettext_lazy(
    "Only a draft round can be deleted: this round has been opened, so its answers are kept."
)


@transaction.atomic
def round_delete(*, scan_round: ScanRound, user=None) -> int:
    """Delete a round that was never opened (a test round, a mistake) with its groups,
    respondents, links and mails. Returns the number of respondents removed."""
    locked = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if locked.status != RoundStatus.DRAFT or locked.signed_at is not None:
        raise ScanError(ROUND_NOT_DRAFT, code="not_draft")
    respondents = locked.respondents.count()
    from core.audit import audit

    # Written first: the event keeps the title, as the round itself is gone afterwards.
    audit(
        "round_deleted",
        organisation=locked.organisation,
        actor=user,
        round=locked.pk,
        title=locked.title,
        respondents=respondents,
    )
    locked.delete()
    return respondents
