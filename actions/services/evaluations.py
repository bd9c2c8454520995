"""Periodic evaluation: the schedule and preparing the next round.

The next round is always prepared from the latest *closed* round: an open round is still
collecting answers (and its respondent list may be a small pilot), a draft has none. The new
round gets a title and dates of its own, starts as a draft with fresh respondents (nothing
started, nothing submitted, no links, no mails) and nothing is sent until a person opens it."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Organisation
from core.permissions import Access
from scan import services as scan_services
from scan.modeldoc import ModelDoc
from scan.models import ModelVersion, ScanRound
from scan.selectors import model_doc

from ..errors import CycleError
from ..models import (
    EvaluationSchedule,
)
from ..permissions import ACTIONS_POLICY
from ..selectors import evaluation_basis

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")

NO_CLOSED_ROUND = gettext_lazy(
    "There is no closed round yet: the next round is prepared from a closed round."
)
ALREADY_PREPARED = gettext_lazy("The round after “%(title)s” has already been prepared: %(next)s.")
# A prepared round opens a week after preparing (time to check the respondents) and
# never before the previous rounds have closed; it stays open for four weeks.
LEAD_DAYS = 7
OPEN_DAYS = 28
# Without a schedule an evaluation prepared now opens half a year after the round it follows.
DEFAULT_INTERVAL_MONTHS = 6


# --- periodic evaluation ------------------------------------------------------------------


@transaction.atomic
def schedule_set(
    *, organisation: Organisation, interval_months: int, next_due_on: dt.date, active: bool = True
) -> EvaluationSchedule:
    if not 1 <= interval_months <= 36:
        raise CycleError(_("Choose an interval between 1 and 36 months."))
    schedule, _created = EvaluationSchedule.objects.update_or_create(
        organisation=organisation,
        defaults={"interval_months": interval_months, "next_due_on": next_due_on, "active": active},
    )
    return schedule


def _newest_version(version: ModelVersion) -> ModelVersion:
    return version.model.versions.order_by("-number").first() or version  # it is one of them


def _series_title(scan_round: ScanRound) -> str:
    """The title of the first round of a series ("Klantscan"), without later period suffixes."""
    seen = set()
    while scan_round.pk not in seen and scan_round.previous_round is not None:
        seen.add(scan_round.pk)
        scan_round = scan_round.previous_round
    return scan_round.title


def _unique_title(organisation: Organisation, base: str) -> str:
    taken = set(organisation.rounds.values_list("title", flat=True))
    title, number = base[:160], 2
    while title in taken:
        suffix = f" ({number})"
        title, number = base[: 160 - len(suffix)] + suffix, number + 1
    return title


def months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _dates(
    organisation: Organisation, today: dt.date, *, not_before: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    last_close = organisation.rounds.aggregate(last=Max("closes_on"))["last"]
    opens_on = today + dt.timedelta(days=LEAD_DAYS)
    if last_close is not None and opens_on <= last_close:
        opens_on = last_close + dt.timedelta(days=1)
    if not_before is not None and opens_on < not_before:
        opens_on = not_before
    return opens_on, opens_on + dt.timedelta(days=OPEN_DAYS)


def _scheduled_opening(previous: ScanRound, schedule: EvaluationSchedule | None) -> dt.date:
    """When an evaluation prepared ahead of time opens: on the schedule's due date, else one
    usual interval after the round it follows closed. An evaluation measures change, so it
    never opens weeks after its baseline (a round closed early keeps its real closing day)."""
    if schedule is not None and schedule.active:
        return max(schedule.next_due_on, previous.closes_on + dt.timedelta(days=1))
    return months_after(previous.closes_on, DEFAULT_INTERVAL_MONTHS)


def _prepare_from(
    previous: ScanRound,
    *,
    organisation: Organisation,
    today: dt.date,
    user=None,
    not_before: dt.date | None = None,
) -> ScanRound:
    version = _newest_version(previous.model_version)
    new_cells = set(ModelDoc(version.document).cell_by_code)
    old_cells = set(model_doc(previous).cell_by_code)
    opens_on, closes_on = _dates(organisation, today, not_before=not_before)
    period = _("evaluation %(date)s") % {"date": date_format(opens_on, "YEAR_MONTH_FORMAT")}
    draft = scan_services.round_create(
        organisation=organisation,
        title=_unique_title(organisation, f"{_series_title(previous)} – {period}"),
        period=period[:60],
        opens_on=opens_on,
        closes_on=closes_on,
        model_version=version,
        group_kinds=list(previous.groups.values_list("kind", flat=True)),
        min_group_size=previous.min_group_size,
        previous_round=previous,
        created_by=user,
    )
    scan_services.respondents_copy(source=previous, target=draft)
    dropped = sorted(old_cells - new_cells)
    if dropped:
        logger.info("round %s prepared; cells no longer in the model: %s", draft.pk, dropped)
    return draft


@transaction.atomic
def evaluation_prepare(
    *, organisation: Organisation, today: dt.date | None = None
) -> ScanRound | None:
    """When the schedule says an evaluation is due, prepare the next round as a draft from the
    latest closed round: same groups, same respondents, the newest published version of its
    model. Nothing is sent: a person opens the round. Returns None when nothing was due or the
    next round already exists."""
    today = today or timezone.localdate()
    schedule = (
        EvaluationSchedule.objects.select_for_update()
        .filter(organisation=organisation, active=True)
        .first()
    )
    if schedule is None or schedule.next_due_on > today:
        return None
    previous, following = evaluation_basis(organisation)
    if previous is None:
        return None  # due, but nothing to build on yet: tried again on the next run
    if following is not None:
        schedule.next_due_on = schedule.advance()
        schedule.save(update_fields=["next_due_on"])
        return None
    draft = _prepare_from(previous, organisation=organisation, today=today)
    schedule.next_due_on = schedule.advance()
    schedule.save(update_fields=["next_due_on"])
    return draft


@transaction.atomic
def evaluation_prepare_now(*, access: Access | None, today: dt.date | None = None) -> ScanRound:
    """A consultant prepares the next round without waiting for the schedule. The schedule,
    if any, then counts its next evaluation from today."""
    if access is None or not ACTIONS_POLICY.allows(access, "plan_evaluations"):
        raise PermissionDenied(_("Only the consultant prepares a round."))
    organisation, user = access.organisation, access.user
    today = today or timezone.localdate()
    schedule = (
        EvaluationSchedule.objects.select_for_update().filter(organisation=organisation).first()
    )
    previous, following = evaluation_basis(organisation)
    if previous is None:
        raise CycleError(str(NO_CLOSED_ROUND))
    if following is not None:
        raise CycleError(str(ALREADY_PREPARED) % {"title": previous.title, "next": following.title})
    draft = _prepare_from(
        previous,
        organisation=organisation,
        today=today,
        user=user,
        not_before=_scheduled_opening(previous, schedule),
    )
    if schedule is not None and schedule.active:
        # The evaluation after this one is due one interval after this one opens.
        schedule.next_due_on = max(today, draft.opens_on)
        schedule.next_due_on = schedule.advance()
        schedule.save(update_fields=["next_due_on"])
    security_log.info("round %s prepared now by=%s", draft.pk, getattr(user, "pk", None))
    return draft


def evaluations_prepare_due(today: dt.date | None = None) -> list[int]:
    prepared = []
    for schedule in EvaluationSchedule.objects.filter(
        active=True, next_due_on__lte=today or timezone.localdate()
    ):
        draft = evaluation_prepare(organisation=schedule.organisation, today=today)
        if draft:
            prepared.append(draft.pk)
    return prepared
