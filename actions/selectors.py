"""Reads for the improvement cycle: action lists, dashboards, reviews and periods (the
consultant's portfolio and sector view are in portfolio.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Organisation
from honeycomb.results import last_of_trend, overall_score, round_results, trend_results
from scan.modeldoc import ModelDoc
from scan.models import RoundStatus, ScanRound
from scan.params import MAX_ID
from scan.periods import period_of
from scan.selectors import model_doc

from .models import (
    OPEN_STATUSES,
    ActionEvent,
    ActionStatus,
    Ambition,
    AmbitionTarget,
    ExternalMeasure,
    ImprovementAction,
    Review,
    WithdrawnSignOff,
)

# The fields of an action that the review shows as of a date.
HISTORY_FIELDS = ("title", "status", "due_on", "cells")


def _is_code(value: str) -> bool:
    """Cell, domain and status codes are short printable words: an over-long text or a NUL
    character (which PostgreSQL refuses in any query) is no code at all."""
    return len(value) <= 40 and value.isprintable()


def actions_for(
    organisation: Organisation,
    *,
    cell: str = "",
    domain: str = "",
    status: str = "",
    owner: str = "",
    overdue: bool = False,
) -> QuerySet[ImprovementAction]:
    if not all(_is_code(value) for value in (cell, domain, status)):
        return organisation.actions.none()  # a code no cell, domain or status has
    qs = organisation.actions.select_related("owner", "working_group").prefetch_related("cells")
    if cell:
        qs = qs.filter(cells__cell_code=cell)
    if domain:
        qs = qs.filter(cells__cell_code__startswith=domain)
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=int(owner) if owner.isdigit() else 0)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    return qs.distinct()


def targets_in_force(organisation: Organisation) -> dict[str, int]:
    """The target level per cell of the organisation's latest ambition, in one query."""
    latest = (
        Ambition.objects.filter(organisation=organisation).order_by("-version").values("pk")[:1]
    )
    return dict(
        AmbitionTarget.objects.filter(ambition_id=Subquery(latest)).values_list(
            "cell_code", "level"
        )
    )


@dataclass(frozen=True)
class ActionRow:
    pk: int
    title: str
    status: str
    due_on: dt.date | None
    completed_on: dt.date | None
    created_on: dt.date
    cells: tuple[str, ...]


def action_rows(organisation: Organisation, *, until: dt.date | None = None) -> list[ActionRow]:
    """The organisation's actions with their cells. Without ``until``: as they are now, in one
    query. With ``until``: as they stood at the end of that day (the close of a round's
    period); actions changed since are rebuilt from their history (ActionEvent: a full
    snapshot on creation, the changed fields after each change; never edited), which takes a
    second query only when there are such actions. Actions without history (made outside the
    app) count with their current values if they existed then."""
    qs = organisation.actions.all()
    fields = ["pk", "title", "status", "due_on", "completed_at", "created_at", "cells__cell_code"]
    if until is not None:
        cutoff = _end_of_day(until)
        qs = qs.filter(created_at__lte=cutoff).annotate(
            changed_since=Exists(
                ActionEvent.objects.filter(action_id=OuterRef("pk"), at__gt=cutoff)
            )
        )
        fields.append("changed_since")
    rows: dict[int, dict] = {}
    changed: list[int] = []
    for values in qs.order_by("status", "due_on", "pk").values_list(*fields):
        pk, title, status, due_on, completed_at, created_at, code = values[:7]
        if pk not in rows:
            rows[pk] = {
                "pk": pk,
                "title": title,
                "status": status,
                "due_on": due_on,
                "completed_on": timezone.localdate(completed_at) if completed_at else None,
                "created_on": timezone.localdate(created_at),
                "cells": [],
            }
            if until is not None and values[7]:
                changed.append(pk)
        if code:
            rows[pk]["cells"].append(code)
    if changed and until is not None:  # only a rewind finds changed actions
        _rewind(rows, changed, until)
    return [ActionRow(**{**r, "cells": tuple(r["cells"])}) for r in rows.values()]


def _rewind(rows: dict[int, dict], changed: list[int], until: dt.date) -> None:
    """Replay the history of the actions changed after ``until`` up to the end of that day."""
    events = ActionEvent.objects.filter(action_id__in=changed, at__lte=_end_of_day(until)).order_by(
        "at", "pk"
    )
    then: dict[int, dict] = {}
    for action_id, kind, changes, at in events.values_list("action_id", "kind", "changes", "at"):
        state = then.setdefault(action_id, {"completed_on": None})
        if kind == "created":
            state.update({k: changes.get(k) for k in HISTORY_FIELDS if k in changes})
            if changes.get("status") == ActionStatus.DONE:
                state["completed_on"] = timezone.localdate(at)
        elif kind == "changed":
            for key in HISTORY_FIELDS:
                if key in changes:
                    state[key] = changes[key][1]
            if "status" in changes:
                done = changes["status"][1] == ActionStatus.DONE
                state["completed_on"] = timezone.localdate(at) if done else None
    for pk, state in then.items():
        row = rows[pk]
        due = state.get("due_on", row["due_on"])
        row.update(
            title=state.get("title") or row["title"],
            status=state.get("status") or row["status"],
            due_on=dt.date.fromisoformat(due) if isinstance(due, str) else due,
            completed_on=state["completed_on"],
            cells=list(state["cells"]) if state.get("cells") is not None else row["cells"],
        )


def action_counts(rows: list[ActionRow], *, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    open_rows = [r for r in rows if r.status in OPEN_STATUSES]
    return {
        "open": len(open_rows),
        "overdue": sum(1 for r in open_rows if r.due_on and r.due_on < today),
        "done": sum(1 for r in rows if r.status == ActionStatus.DONE),
    }


def open_per_cell(rows: list[ActionRow]) -> dict[str, int]:
    return dict(Counter(c for r in rows if r.status in OPEN_STATUSES for c in r.cells))


def action_effect_rows(
    rows: list[ActionRow], changes: dict[str, float], *, since: dt.date, until: dt.date
) -> list[dict]:
    """Per cell: actions completed between the previous round and this one, beside the change
    in that cell's score. Evidence to discuss, not proof of cause."""
    per_cell = Counter(
        c
        for r in rows
        if r.status == ActionStatus.DONE and r.completed_on and since < r.completed_on <= until
        for c in r.cells
    )
    return [
        {"cell": code, "completed": per_cell.get(code, 0), "change": changes.get(code)}
        for code in sorted(set(changes) | set(per_cell))
    ]


def action_effect(organisation: Organisation, current: ScanRound) -> list[dict]:
    results = round_results(current)
    previous = current.previous_round
    if previous is None:
        return []
    return action_effect_rows(
        action_rows(organisation),
        results.changes(),
        since=previous.closes_on,
        until=current.closes_on,
    )


def honeycomb_overlays(scan_round: ScanRound) -> dict:
    """What the improvement cycle adds to the honeycomb of a round (registered as the
    ``klantraat_honeycomb_overlays`` hook): targets, open-action counts and the actions per
    cell. Two queries whatever the number of actions; a signed round shows what was signed."""
    organisation = scan_round.organisation
    frozen = (
        Review.objects.filter(round=scan_round).values_list("frozen", flat=True).first()
        if scan_round.signed_at
        else None
    )
    if frozen and "actions" in frozen:
        targets = frozen["targets"]
        # Snapshots signed before actions kept their id list them without a link.
        listed = [
            (a.get("pk"), a["title"], a["status"], a["cells"]) for a in frozen["actions"]["list"]
        ]
        open_counts = frozen["actions"]["open_per_cell"]
    else:
        rows = action_rows(organisation)
        targets = targets_in_force(organisation)
        listed = [(r.pk, r.title, r.status, r.cells) for r in rows]
        open_counts = open_per_cell(rows)
    per_cell: dict[str, list] = {}
    for pk, title, status, cells in listed:
        url = reverse("actions:detail", kwargs={"org": organisation.slug, "pk": pk}) if pk else ""
        for code in cells:
            per_cell.setdefault(code, []).append(
                {"title": title, "status": ActionStatus(status).label, "url": url}
            )
    return {
        "targets": targets,
        "annotations": {c: _("%(n)s open") % {"n": n} for c, n in open_counts.items()},
        "open_counts": dict(open_counts),
        "cell_actions": per_cell,
    }


def dashboard(organisation: Organisation) -> dict:
    latest = latest_closed_round(organisation)
    # The trend's results (signed: the snapshot) serve the honeycomb too: one read of answers.
    scored = trend_results(latest) if latest else []
    trend = [(period_of(r), overall_score(results)) for r, results in scored]
    latest_results, previous_results = last_of_trend(scored)
    schedule = getattr(organisation, "evaluation_schedule", None)
    return {
        "latest_round": latest,
        "latest_results": latest_results,
        "previous_results": previous_results,
        "overall": trend[-1][1] if trend else None,
        **action_counts(action_rows(organisation)),
        "next_evaluation": schedule.next_due_on if schedule and schedule.active else None,
        "trend": trend,
    }


def review_with_round(organisation: Organisation, pk: int) -> tuple[ScanRound, Review | None]:
    """A round of this organisation (404 otherwise) with its review, if one was written, and
    the previous round, in one query; ``review.has_withdrawals`` says whether the sign-off
    history needs reading at all."""
    if not 0 < pk <= MAX_ID:  # an id no column holds is not found, not a server error
        raise Http404
    scan_round = get_object_or_404(
        ScanRound.objects.select_related(
            "organisation",
            "model_version__model",
            "previous_round__model_version",
            "review__signed_off_by",
        ).annotate(
            has_withdrawals=Exists(WithdrawnSignOff.objects.filter(review__round=OuterRef("pk")))
        ),
        pk=pk,
        organisation=organisation,
    )
    try:
        review = scan_round.review  # joined above: no query, also when there is none
    except Review.DoesNotExist:
        return scan_round, None
    # annotated above (lost by the plugin through get_object_or_404); read in actions.history
    review.has_withdrawals = scan_round.has_withdrawals  # type: ignore[attr-defined]
    return scan_round, review


def latest_model(organisation: Organisation) -> ModelDoc | None:
    scan_round = (
        organisation.rounds.select_related("model_version").order_by("-opens_on", "-pk").first()
    )
    return model_doc(scan_round) if scan_round else None


def latest_closed_round(organisation: Organisation) -> ScanRound | None:
    return (
        organisation.rounds.filter(status=RoundStatus.CLOSED).order_by("-closes_on", "-pk").first()
    )


def evaluation_basis(organisation: Organisation) -> tuple[ScanRound | None, ScanRound | None]:
    """The round the next evaluation is prepared from (the latest closed one, never an open
    or draft round) and the round already prepared from it, if any."""
    previous = latest_closed_round(organisation)
    if previous is None:
        return None, None
    following = previous.next_rounds.order_by("pk").first()
    return previous, following


# --- a round's period: measures and actions as they were ---------------------------------

FIRST_ROUND_WINDOW = dt.timedelta(days=365)


def round_period(scan_round: ScanRound) -> tuple[dt.date, dt.date]:
    """The period a round looks back on: from the day after the previous round closed up to
    and including this round's closing date. The previous round is the one it was prepared
    from, else the organisation's latest round that closed before it. A first round looks
    back one year."""
    previous = scan_round.previous_round
    if previous is None or previous.closes_on >= scan_round.closes_on:
        previous = (
            scan_round.organisation.rounds.filter(closes_on__lt=scan_round.closes_on)
            .exclude(pk=scan_round.pk)
            .order_by("-closes_on", "-pk")
            .first()
        )
    if previous is None:
        return scan_round.closes_on - FIRST_ROUND_WINDOW + dt.timedelta(
            days=1
        ), scan_round.closes_on
    return previous.closes_on + dt.timedelta(days=1), scan_round.closes_on


def measures_for_period(
    organisation: Organisation, start: dt.date, end: dt.date
) -> QuerySet[ExternalMeasure]:
    """External measures whose period ends within [start, end] (both days included)."""
    return organisation.external_measures.filter(period_end__gte=start, period_end__lte=end)


def measures_for_round(scan_round: ScanRound) -> QuerySet[ExternalMeasure]:
    start, end = round_period(scan_round)
    return measures_for_period(scan_round.organisation, start, end)


def _end_of_day(date: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time.max))
