"""Reads for the improvement cycle: action lists, dashboards, portfolio and sector view."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from honeycomb import selectors as honeycomb_selectors
from scan.models import Organisation, RoundStatus, ScanRound

from .models import OPEN_STATUSES, ActionStatus, ImprovementAction

SECTOR_MINIMUM = 5


def actions_for(
    organisation: Organisation,
    *,
    cell: str = "",
    domain: str = "",
    status: str = "",
    owner: str = "",
    overdue: bool = False,
) -> QuerySet[ImprovementAction]:
    qs = organisation.actions.select_related("owner").prefetch_related("cells")
    if cell:
        qs = qs.filter(cells__cell_code=cell)
    if domain:
        qs = qs.filter(cells__cell_code__startswith=domain)
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=owner if owner.isdigit() else 0)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    return qs.distinct()


def open_actions_per_cell(organisation: Organisation) -> dict[str, int]:
    rows = organisation.actions.filter(status__in=OPEN_STATUSES).values_list(
        "cells__cell_code", flat=True
    )
    return dict(Counter(code for code in rows if code))


def action_effect(organisation: Organisation, current: ScanRound) -> list[dict]:
    """Per cell: actions completed between the previous round and this one, beside the change
    in that cell's score. Evidence to discuss, not proof of cause."""
    previous = current.previous_round
    if previous is None:
        return []
    changes = honeycomb_selectors.previous_changes(
        current, honeycomb_selectors.round_scores(current)
    )
    done = organisation.actions.filter(
        status=ActionStatus.DONE,
        completed_at__date__gt=previous.closes_on,
        completed_at__date__lte=current.closes_on,
    )
    per_cell = Counter(code for code in done.values_list("cells__cell_code", flat=True) if code)
    return [
        {"cell": code, "completed": per_cell.get(code, 0), "change": changes.get(code)}
        for code in sorted(set(changes) | set(per_cell))
    ]


def dashboard(organisation: Organisation) -> dict:
    today = timezone.localdate()
    actions = organisation.actions.all()
    latest = organisation.rounds.filter(status=RoundStatus.CLOSED).order_by("-closes_on").first()
    # The trend ends with the latest round: score each round once and read its last value.
    trend = (
        [(r.period, _overall(r)) for r in honeycomb_selectors.trend_rounds(latest)]
        if latest
        else []
    )
    schedule = getattr(organisation, "evaluation_schedule", None)
    return {
        "latest_round": latest,
        "overall": trend[-1][1] if trend else None,
        "open": actions.filter(status__in=OPEN_STATUSES).count(),
        "overdue": actions.filter(status__in=OPEN_STATUSES, due_on__lt=today).count(),
        "done": actions.filter(status=ActionStatus.DONE).count(),
        "next_evaluation": schedule.next_due_on if schedule and schedule.active else None,
        "trend": trend,
    }


def _overall(scan_round: ScanRound) -> float | None:
    scores = honeycomb_selectors.round_scores(scan_round)
    if (
        scores.overall.empty
        or "all" not in scores.overall.index
        or scores.overall.loc["all", "suppressed"]
    ):
        return None
    return float(scores.overall.loc["all", "mean"])


def portfolio(user) -> list[dict]:
    """A consultant's organisations: rounds, overdue actions, next evaluation."""
    today = timezone.localdate()
    orgs = Organisation.objects.filter(
        memberships__user=user, memberships__role="consultant"
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
