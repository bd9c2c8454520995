"""Reads across organisations for consultants: their portfolio and the anonymous sector
view (the average of every organisation's latest closed round)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from honeycomb.results import overall_score, round_results
from scan.models import Organisation, Role, RoundStatus, ScanRound

from .models import OPEN_STATUSES

SECTOR_MINIMUM = 5


def _overall(scan_round: ScanRound) -> float | None:
    return overall_score(round_results(scan_round))


def portfolio(user) -> list[dict]:
    """A consultant's organisations: rounds, overdue actions, next evaluation."""
    today = timezone.localdate()
    orgs = Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.CONSULTANT
    ).annotate(
        overdue=Count(
            "actions",
            filter=Q(actions__status__in=OPEN_STATUSES, actions__due_on__lt=today),
            distinct=True,
        ),
        open_rounds=Count("rounds", filter=Q(rounds__status=RoundStatus.OPEN), distinct=True),
    )
    out = []
    for org in orgs:
        schedule = getattr(org, "evaluation_schedule", None)
        out.append(
            {
                "organisation": org,
                "overdue": org.overdue,
                "open_rounds": org.open_rounds,
                "latest": org.rounds.order_by("-opens_on").first(),
                "next_evaluation": schedule.next_due_on if schedule and schedule.active else None,
            }
        )
    return out


def sector_comparison() -> dict | None:
    """Average overall score of each organisation's latest closed round, anonymised; only when
    at least SECTOR_MINIMUM organisations contribute."""
    values = []
    for org in Organisation.objects.all():
        latest = org.rounds.filter(status=RoundStatus.CLOSED).order_by("-closes_on").first()
        if latest:
            value = _overall(latest)
            if value is not None:
                values.append(value)
    if len(values) < SECTOR_MINIMUM:
        return None
    values.sort()
    return {
        "n": len(values),
        "mean": sum(values) / len(values),
        "min": values[0],
        "max": values[-1],
    }
