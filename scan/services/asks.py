"""Asking the consultant: a coordinator who may not open a round or start a new one asks for
it with one button, and the organisation's consultants get a mail with a link to the page
where they can do it. The ask is audited; the same ask is mailed at most once an hour."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core.models import AuditEvent, AuditKind, Membership, Role
from core.outbox import Notice, notices_queue

from ..models import MailKind, RoundStatus, ScanRound

logger = logging.getLogger("klantraat.scan")

ASKS = {
    "open_round": gettext_lazy("open the round"),
    "new_round": gettext_lazy("set up a new round"),
}
NOTHING_TO_ASK = gettext_lazy("There is nothing to ask the consultant about here.")
NO_CONSULTANT = gettext_lazy(
    "This organisation has no consultant yet: ask whoever gave you access to Klantraat."
)
ASK_INTERVAL = dt.timedelta(hours=1)


@dataclass(frozen=True)
class AskResult:
    mailed: int
    repeated: bool  # asked less than an hour ago: not mailed again


def consultants_of(organisation) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, role=Role.CONSULTANT, user__is_active=True
        ).select_related("user")
        if m.user.is_staff and m.user.email
    ]


def _target(access, what: str, scan_round: ScanRound | None) -> str:
    org = access.organisation.slug
    if what == "open_round" and scan_round is not None:
        return reverse("scan:round", kwargs={"org": org, "pk": scan_round.pk})
    return reverse("scan:organisation", kwargs={"org": org})


@transaction.atomic
def consultant_ask(*, access, what: str, scan_round: ScanRound | None = None) -> AskResult:
    """Mail the organisation's consultants that ``access.user`` asks them to ``what``."""
    from core.audit import audit

    from ..errors import ScanError
    from ..permissions import SCAN_POLICY

    SCAN_POLICY.require(access, "ask_consultant")
    if what not in ASKS or (what == "open_round") != (scan_round is not None):
        raise ScanError(NOTHING_TO_ASK)
    if scan_round is not None and (
        scan_round.organisation_id != access.organisation.pk
        or scan_round.status != RoundStatus.DRAFT
    ):
        raise ScanError(NOTHING_TO_ASK)
    consultants = consultants_of(access.organisation)
    if not consultants:
        raise ScanError(NO_CONSULTANT)
    detail = {"what": what, **({"round": str(scan_round.pk)} if scan_round else {})}
    recent = AuditEvent.objects.filter(
        organisation=access.organisation,
        kind=AuditKind.CONSULTANT_ASKED,
        at__gte=timezone.now() - ASK_INTERVAL,
        detail__what=what,
        **({"detail__round": detail["round"]} if scan_round else {}),
    )
    if recent.exists():
        return AskResult(mailed=0, repeated=True)
    audit("consultant_asked", organisation=access.organisation, actor=access.user, **detail)
    link = settings.KLANTRAAT_BASE_URL + _target(access, what, scan_round)
    notices = []
    for consultant in consultants:
        with translation.override(getattr(consultant, "preferred_language", None) or "nl"):
            context = {
                "name": consultant.first_name,
                "who": access.user.get_full_name() or access.user.email,
                "email": access.user.email,
                "organisation": access.organisation.name,
                "what": str(ASKS[what]),
                "round": scan_round.title if scan_round else "",
                "link": link,
            }
            notices.append(
                Notice(
                    to=consultant.email,
                    subject=render_to_string("scan/mail/consultant_ask_subject.txt", context),
                    body=render_to_string("scan/mail/consultant_ask.txt", context),
                )
            )
    # Queued with the audit row: they leave after commit, through the outbox; the consultant
    # answers the one who asked.
    mailed = notices_queue(notices=notices, kind=MailKind.ASK, reply_to=access.user.email)
    return AskResult(mailed=mailed, repeated=False)
