"""Reads across organisations for consultants: their portfolio and the anonymous sector
view (the average of every organisation's latest closed round)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from core.models import Organisation
from core.permissions import organisations_served_by
from honeycomb.models import Release
from scan.models import RoundStatus, ScanRound

from .models import OPEN_STATUSES

SECTOR_MINIMUM = 5


def portfolio(user) -> list[dict]:
    """A consultant's organisations: rounds, overdue actions, next evaluation."""
    today = timezone.localdate()
    orgs = organisations_served_by(user).annotate(
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
    at least SECTOR_MINIMUM organisations contribute. One query: the score stored with each
    round's latest release, never a round scored in the request."""
    latest_closed = ScanRound.objects.filter(
        organisation=OuterRef("pk"), status=RoundStatus.CLOSED
    ).order_by("-closes_on", "-pk")
    newest_release = Release.objects.filter(round=OuterRef("latest")).order_by("-number")
    values = sorted(
        value
        for value in Organisation.objects.annotate(latest=Subquery(latest_closed.values("pk")[:1]))
        .annotate(score=Subquery(newest_release.values("overall")[:1]))
        .values_list("score", flat=True)
        if value is not None
    )
    if len(values) < SECTOR_MINIMUM:
        return None
    return {
        "n": len(values),
        "mean": sum(values) / len(values),
        "min": values[0],
        "max": values[-1],
    }
