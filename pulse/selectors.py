"""Reads for the pulse: one query per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from core.models import Organisation

from .models import CallBack, CallBackStatus, ContractPartner, PulseResponse


def open_answers(
    *, organisation: Organisation, partner: ContractPartner | None = None, limit: int = 50
) -> QuerySet:
    qs = PulseResponse.objects.filter(organisation=organisation).exclude(open_answer="")
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.select_related("moment").order_by("-month", "-pk")[:limit]


def open_call_backs(
    *, organisation: Organisation, partner: ContractPartner | None = None
) -> QuerySet:
    qs = CallBack.objects.filter(organisation=organisation, status=CallBackStatus.OPEN)
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.select_related("response__moment", "partner", "owner").order_by("deadline", "pk")


def closed_call_backs(*, organisation: Organisation, limit: int = 20) -> QuerySet:
    """The latest closed call-backs with their outcome (their contact details are erased)."""
    return (
        CallBack.objects.filter(organisation=organisation, status=CallBackStatus.DONE)
        .select_related("response__moment", "partner", "done_by")
        .order_by("-done_at", "-pk")[:limit]
    )


def threshold_for(organisation: Organisation) -> int:
    """The organisation's disclosure threshold: that of its latest round (5 without one)."""
    latest = organisation.rounds.order_by("-opens_on").first()
    return latest.min_group_size if latest else 5


def partners_for_user(user) -> QuerySet:
    if not user.is_authenticated:
        return ContractPartner.objects.none()
    return ContractPartner.objects.filter(users=user).select_related("organisation")


PARTNER_ROLE = "partner"


def contract_partner_role(user, organisation) -> str | None:
    """The outside role of a contract partner's own login in ``organisation`` (registered for
    the ``klantraat_external_role`` hook): it reaches the partner's scorecards, every view
    still checks the role it allows."""
    is_partner = ContractPartner.objects.filter(organisation=organisation, users=user).exists()
    return PARTNER_ROLE if is_partner else None


@dataclass
class UndeliveredInvitations:
    count: int
    by_reason: list[tuple[str, str, int]]  # (delivery state, reason, how many)


def undelivered_invitations(
    *, organisation: Organisation, days: int = 90
) -> UndeliveredInvitations:
    """Invitations of the last ``days`` the mail service or SMS provider could not deliver,
    by reason (no addresses: the overview shows counts only)."""
    from django.db.models import Count
    from django.utils import timezone

    from core.models import Delivery

    from .models import PulseInvitation

    rows = (
        PulseInvitation.objects.filter(
            event__organisation=organisation,
            send_after__gte=timezone.now() - dt.timedelta(days=days),
            delivery__in=Delivery.undelivered(),
        )
        .values("delivery", "delivery_reason")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    by_reason = [(r["delivery"], r["delivery_reason"], r["n"]) for r in rows]
    return UndeliveredInvitations(count=sum(n for *_, n in by_reason), by_reason=by_reason[:10])
