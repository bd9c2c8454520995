"""The director's review: summary, sign-off (which freezes the results) and its withdrawal."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.permissions import Access
from honeycomb.results import RoundResults
from honeycomb.services import FreezeError, results_freeze, results_withdraw
from scan.models import RoundStatus, ScanRound

from .. import selectors
from ..errors import CycleError
from ..models import Review, WithdrawnSignOff
from ..permissions import ACTIONS_POLICY

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")

SIGN_OFF_NEEDS_FINAL_SUMMARY = gettext_lazy(
    "A review can be signed off only with a final summary: the consultant marks the summary "
    "as final first."
)
WITHDRAWAL_NEEDS_REASON = gettext_lazy("Give a reason for withdrawing the sign-off.")
NOT_SIGNED_OFF = gettext_lazy("This review has not been signed off.")
ONLY_DIRECTORS_WITHDRAW = gettext_lazy("Only directors withdraw a sign-off.")


def _require(
    access: Access | None, scan_round: ScanRound, capability: str, message: str | Promise
) -> Access:
    """The access must be for the round's own organisation and hold the capability."""
    if access is None or access.organisation.pk != scan_round.organisation_id:
        raise PermissionDenied(message)
    ACTIONS_POLICY.require(access, capability, message)
    return access


def review_for(scan_round: ScanRound) -> Review:
    """The round's review, made when first written to (never by reading a page)."""
    review, _created = Review.objects.get_or_create(round=scan_round)
    return review


@transaction.atomic
def review_save_summary(
    *,
    scan_round: ScanRound,
    access: Access | None,
    summary: str,
    revision: int,
    final: bool = False,
) -> Review:
    _require(access, scan_round, "write_summary", _("Only the consultant writes the summary."))
    review = Review.objects.select_for_update().get(pk=review_for(scan_round).pk)
    if review.is_signed_off:
        raise CycleError(_("This review has been signed off; its summary is frozen."))
    if review.revision != revision:
        raise CycleError(
            _("Someone else changed this summary in the meantime. Reload the page and try again.")
        )
    review.summary = (summary or "").strip()[:5000]
    review.summary_final = bool(final and review.summary)
    review.revision += 1
    review.save()
    return review


def review_snapshot(scan_round: ScanRound, results: RoundResults) -> dict:
    """What the review shows beside the figures, as of the round's period: ambition targets in
    force, the improvement actions (status and effect) and the external measures."""
    organisation = scan_round.organisation
    previous = scan_round.previous_round
    rows = selectors.action_rows(organisation, until=scan_round.closes_on)
    effect = (
        selectors.action_effect_rows(
            rows, results.changes(), since=previous.closes_on, until=scan_round.closes_on
        )
        if previous is not None and results.has_previous
        else []
    )
    return {
        "targets": selectors.targets_in_force(organisation),
        "actions": {
            **selectors.action_counts(rows, today=scan_round.closes_on),
            "open_per_cell": selectors.open_per_cell(rows),
            "list": [
                {"pk": r.pk, "title": r.title, "status": r.status, "cells": list(r.cells)}
                for r in rows
            ],
        },
        "effect": effect,
        "measures": [
            {
                "source": m.source,
                "kind": m.kind,
                "period": m.period,
                "period_end": m.period_end.isoformat(),
                "value": str(m.value),
                "scale_max": m.scale_max,
            }
            for m in selectors.measures_for_round(scan_round)
        ],
    }


@transaction.atomic
def review_sign_off(
    *, scan_round: ScanRound, access: Access | None, comment: str, revision: int
) -> Review:
    user = _require(access, scan_round, "sign_off", _("Only directors sign off a review.")).user
    if scan_round.status != RoundStatus.CLOSED:
        raise CycleError(_("Only a closed round can be signed off."))
    review = Review.objects.select_for_update().get(pk=review_for(scan_round).pk)
    if review.is_signed_off:
        raise CycleError(_("This review has already been signed off."))
    if review.revision != revision:
        raise CycleError(
            _(
                "The summary changed while you were reading. Reload the page, read it again and sign off."
            )
        )
    if not review.summary or not review.summary_final:
        raise CycleError(SIGN_OFF_NEEDS_FINAL_SUMMARY)
    try:
        frozen = results_freeze(scan_round=scan_round, user=user)
    except FreezeError as exc:
        raise CycleError(str(exc)) from exc
    results = RoundResults.from_snapshot(frozen.data)
    review.frozen = {
        **review_snapshot(scan_round, results),
        "results": frozen.pk,
        "summary": review.summary,
        "summary_final": True,
        "frozen_at": frozen.frozen_at.isoformat(),
    }
    review.signed_off_by = user
    review.signed_off_at = timezone.now()
    review.sign_off_comment = (comment or "").strip()[:2000]
    review.revision += 1
    review.save()
    security_log.info("review signed off round=%s by=%s", scan_round.pk, user.pk)
    audit("sign_off", organisation=scan_round.organisation, actor=user, round=scan_round.pk)
    return review


@transaction.atomic
def review_withdraw(
    *, scan_round: ScanRound, access: Access | None, reason: str
) -> WithdrawnSignOff:
    """Withdraw a sign-off: a director only, with a reason. The signed content stays in the
    history; the round's results are live again and the round may be reopened."""
    user = _require(access, scan_round, "sign_off", ONLY_DIRECTORS_WITHDRAW).user
    reason = (reason or "").strip()
    if not reason:
        raise CycleError(WITHDRAWAL_NEEDS_REASON)
    review = Review.objects.select_for_update().filter(round=scan_round).first()
    if review is None or review.signed_off_at is None:  # not signed off
        raise CycleError(NOT_SIGNED_OFF)
    withdrawn = WithdrawnSignOff.objects.create(
        review=review,
        frozen=review.frozen or {},
        signed_off_by=review.signed_off_by,
        signed_off_at=review.signed_off_at,
        sign_off_comment=review.sign_off_comment,
        withdrawn_by=user,
        reason=reason[:2000],
    )
    try:
        results_withdraw(scan_round=scan_round, user=user, reason=reason)
    except FreezeError as exc:
        raise CycleError(str(exc)) from exc
    review.frozen = None
    review.signed_off_by = None
    review.signed_off_at = None
    review.sign_off_comment = ""
    review.revision += 1
    review.save()
    security_log.info("sign-off withdrawn round=%s by=%s", scan_round.pk, user.pk)
    audit(
        "sign_off_withdrawn",
        organisation=scan_round.organisation,
        actor=user,
        round=scan_round.pk,
        reason=reason[:500],
    )
    return withdrawn
