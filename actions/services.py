"""Every change in the improvement cycle goes through these functions."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from honeycomb import selectors as honeycomb_selectors
from scan import services as scan_services
from scan.audit import audit
from scan.modeldoc import ModelDoc
from scan.models import (
    Membership,
    ModelVersion,
    Organisation,
    Respondent,
    Role,
    RoundStatus,
    ScanRound,
)
from scan.selectors import model_doc

from .models import (
    ACTION_FIELDS,
    OPEN_STATUSES,
    ActionCell,
    ActionEvent,
    ActionReminder,
    ActionStatus,
    ActionUpdate,
    Ambition,
    AmbitionTarget,
    EvaluationSchedule,
    Evidence,
    ExternalMeasure,
    ImprovementAction,
    ReminderKind,
    Review,
    WorkingGroup,
)

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


class CycleError(ValidationError):
    """A rule of the improvement cycle was broken; the message is for the user."""


def _role(user, organisation: Organisation) -> str | None:
    from scan.permissions import role_in

    return role_in(user, organisation)


def latest_model(organisation: Organisation) -> ModelDoc | None:
    scan_round = (
        organisation.rounds.select_related("model_version").order_by("-opens_on", "-pk").first()
    )
    return model_doc(scan_round) if scan_round else None


def latest_closed_round(organisation: Organisation) -> ScanRound | None:
    return (
        organisation.rounds.filter(status=RoundStatus.CLOSED).order_by("-closes_on", "-pk").first()
    )


# --- ambition -----------------------------------------------------------------------------


def default_targets(organisation: Organisation) -> dict[str, int]:
    """Current level + 1 per cell (rounded up, at most 5), from the latest closed round."""
    import math

    scan_round = latest_closed_round(organisation)
    if scan_round is None:
        return {}
    means = honeycomb_selectors.round_scores(scan_round).cell_means("all")
    return {str(code): min(5, math.floor(float(mean)) + 1) for code, mean in means.dropna().items()}


@transaction.atomic
def ambition_set(
    *,
    organisation: Organisation,
    statement: str,
    horizon: dt.date,
    targets: dict[str, tuple[int, str]],
    user,
) -> Ambition:
    """Add a new version of the ambition; earlier versions stay as history."""
    statement = (statement or "").strip()
    if not statement:
        raise CycleError(_("Describe the point on the horizon."))
    if horizon <= timezone.localdate():
        raise CycleError(_("The horizon date must lie in the future."))
    doc = latest_model(organisation)
    known = set(doc.cell_by_code) if doc else set()
    for code, (level, _reason) in targets.items():
        if code not in known:
            raise CycleError(_("Cell %(code)s is not part of the model.") % {"code": code})
        if not isinstance(level, int) or not 1 <= level <= 5:
            raise CycleError(_("A target level must be between 1 and 5."))
    latest = (
        Ambition.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("-version")
        .first()
    )
    ambition = Ambition.objects.create(
        organisation=organisation,
        version=(latest.version + 1 if latest else 1),
        statement=statement,
        horizon=horizon,
        created_by=user,
    )
    AmbitionTarget.objects.bulk_create(
        [
            AmbitionTarget(
                ambition=ambition, cell_code=code, level=level, reason=(reason or "")[:500]
            )
            for code, (level, reason) in targets.items()
        ]
    )
    return ambition


def current_targets(organisation: Organisation) -> dict[str, int]:
    ambition = organisation.ambitions.order_by("-version").first()
    return dict(ambition.targets.values_list("cell_code", "level")) if ambition else {}


# --- working group ------------------------------------------------------------------------


@transaction.atomic
def working_group_set(
    *, organisation: Organisation, name: str, chair, members: list, user
) -> WorkingGroup:
    allowed = set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    for person in [chair, *members]:
        if person is not None and person.pk not in allowed:
            raise CycleError(
                _("%(person)s is not a member of this organisation.") % {"person": person}
            )
    group, _created = WorkingGroup.objects.get_or_create(organisation=organisation)
    group.name = (name or group.name).strip()[:120]
    group.chair = chair
    group.save()
    group.members.set([m.pk for m in members] + ([chair.pk] if chair else []))
    return group


def is_chair(user, organisation: Organisation) -> bool:
    return WorkingGroup.objects.filter(organisation=organisation, chair=user).exists()


# --- actions ------------------------------------------------------------------------------

TRACKED = (
    "title",
    "description",
    "owner_id",
    "start_on",
    "due_on",
    "status",
    "dropped_reason",
    "priority",
    "expected_effect",
)


def can_create_action(user, organisation: Organisation) -> bool:
    role = _role(user, organisation)
    return (
        role in (Role.CONSULTANT, Role.COORDINATOR)
        or (
            role is not None
            and WorkingGroup.objects.filter(organisation=organisation, members=user).exists()
        )
        or role == Role.WORKGROUP
    )


def can_change_action(user, action: ImprovementAction) -> bool:
    """Only the owner, the working-group chair and consultants change an action."""
    role = _role(user, action.organisation)
    if role is None:
        return False
    return (
        role == Role.CONSULTANT or action.owner_id == user.pk or is_chair(user, action.organisation)
    )


def _validate_action(
    organisation: Organisation,
    *,
    cells: list[str],
    owner,
    start_on,
    due_on,
    status: str,
    dropped_reason: str,
) -> None:
    doc = latest_model(organisation)
    known = set(doc.cell_by_code) if doc else set()
    if not cells:
        raise CycleError(_("Link the action to at least one cell."))
    unknown = [c for c in cells if c not in known]
    if unknown:
        raise CycleError(_("Unknown cell: %(codes)s.") % {"codes": ", ".join(unknown)})
    if (
        owner is not None
        and not Membership.objects.filter(organisation=organisation, user=owner).exists()
    ):
        raise CycleError(_("The owner must be a member of the organisation."))
    if start_on and due_on and due_on < start_on:
        raise CycleError(_("The due date cannot be before the start date."))
    if status not in ActionStatus.values:
        raise CycleError(_("Unknown status."))
    if status == ActionStatus.DROPPED and not (dropped_reason or "").strip():
        raise CycleError(_("Give a reason for dropping the action."))


def _snapshot(action: ImprovementAction) -> dict:
    out = {field: getattr(action, field) for field in TRACKED}
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out.items()}


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    user,
    title: str,
    cells: list[str],
    description: str = "",
    owner=None,
    start_on=None,
    due_on=None,
    status: str = ActionStatus.IDEA,
    priority: int = 2,
    expected_effect: str = "",
    dropped_reason: str = "",
) -> ImprovementAction:
    if not can_create_action(user, organisation):
        raise PermissionDenied(_("Your role does not allow adding actions."))
    _validate_action(
        organisation,
        cells=cells,
        owner=owner,
        start_on=start_on,
        due_on=due_on,
        status=status,
        dropped_reason=dropped_reason,
    )
    action = ImprovementAction(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        owner=owner or user,
        start_on=start_on,
        due_on=due_on,
        status=status,
        priority=priority,
        expected_effect=expected_effect.strip(),
        dropped_reason=dropped_reason.strip(),
        created_by=user,
        completed_at=timezone.now() if status == ActionStatus.DONE else None,
    )
    action.full_clean()
    action.save()
    ActionCell.objects.bulk_create(
        [ActionCell(action=action, cell_code=c) for c in dict.fromkeys(cells)]
    )
    ActionEvent.objects.create(
        action=action,
        actor=user,
        kind="created",
        changes={**_snapshot(action), "cells": sorted(set(cells))},
    )
    return action


@transaction.atomic
def action_change(
    *, action: ImprovementAction, user, revision: int, cells: list[str] | None = None, **changes
) -> ImprovementAction:
    """Change an action. ``revision`` must match: an edit based on an outdated page is refused
    instead of silently overwriting someone else's change."""
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if not can_change_action(user, locked):
        raise PermissionDenied(
            _("Only the owner, the working-group chair and consultants change an action.")
        )
    if locked.revision != revision:
        raise CycleError(
            _("Someone else changed this action in the meantime. Reload the page and try again.")
        )
    before = _snapshot(locked)
    old_cells = sorted(locked.cells.values_list("cell_code", flat=True))
    for field, value in changes.items():
        if field not in ACTION_FIELDS:
            raise CycleError(f"Unknown field {field}")
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    new_cells = cells if cells is not None else old_cells
    _validate_action(
        locked.organisation,
        cells=new_cells,
        owner=locked.owner,
        start_on=locked.start_on,
        due_on=locked.due_on,
        status=locked.status,
        dropped_reason=locked.dropped_reason,
    )
    if locked.status == ActionStatus.DONE and before["status"] != ActionStatus.DONE:
        locked.completed_at = timezone.now()
    elif locked.status != ActionStatus.DONE:
        locked.completed_at = None
    locked.revision += 1
    locked.full_clean()
    locked.save()
    if cells is not None and sorted(set(cells)) != old_cells:
        locked.cells.all().delete()
        ActionCell.objects.bulk_create(
            [ActionCell(action=locked, cell_code=c) for c in dict.fromkeys(cells)]
        )
    after = _snapshot(locked)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if cells is not None and sorted(set(cells)) != old_cells:
        diff["cells"] = [old_cells, sorted(set(cells))]
    if diff:
        ActionEvent.objects.create(action=locked, actor=user, kind="changed", changes=diff)
    return locked


EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _check_evidence(upload) -> str:
    import os

    name = os.path.basename(upload.name or "")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in EVIDENCE_TYPES:
        raise CycleError(
            _("%(name)s: this file type is not allowed (PDF, images, Office files, text).")
            % {"name": name}
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise CycleError(_("%(name)s is larger than 10 MB.") % {"name": name})
    head = upload.read(8)
    upload.seek(0)
    magic = EVIDENCE_TYPES[ext]
    if magic and not any(head.startswith(m) for m in magic):
        raise CycleError(
            _("%(name)s does not look like a real %(ext)s file.") % {"name": name, "ext": ext}
        )
    if not magic and b"\x00" in upload.read(4096):
        raise CycleError(_("%(name)s is not a text file.") % {"name": name})
    upload.seek(0)
    return name


@transaction.atomic
def action_progress(*, action: ImprovementAction, user, note: str, files=()) -> ActionUpdate:
    if not can_change_action(user, action):
        raise PermissionDenied(
            _("Only the owner, the working-group chair and consultants change an action.")
        )
    note = (note or "").strip()
    if not note:
        raise CycleError(_("Write a short note about the progress."))
    names = [_check_evidence(f) for f in files]  # all files checked before anything is stored
    update = ActionUpdate.objects.create(action=action, author=user, note=note[:5000])
    for upload, name in zip(files, names, strict=True):
        Evidence.objects.create(
            update=update,
            file=upload,
            original_name=name,
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size,
        )
    ActionEvent.objects.create(
        action=action, actor=user, kind="progress", changes={"note": note[:200], "files": names}
    )
    return update


# --- reminders ----------------------------------------------------------------------------

DUE_SOON_DAYS = 7


def reminders_send(today: dt.date | None = None) -> int:
    """Mail owners about actions due within a week or overdue, at most once per action, kind
    and ISO week. Safe to run as often as beat likes."""
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    period = f"{year}-W{week:02d}"
    sent = 0
    candidates = ImprovementAction.objects.filter(
        status__in=OPEN_STATUSES,
        due_on__isnull=False,
        owner__isnull=False,
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    ).select_related("owner", "organisation")
    for action in candidates:
        kind = ReminderKind.OVERDUE if action.due_on < today else ReminderKind.DUE_SOON
        with transaction.atomic():
            reminder, created = ActionReminder.objects.get_or_create(
                action=action, kind=kind, period=period
            )
            if not created:
                continue
            reminder = ActionReminder.objects.select_for_update().get(pk=reminder.pk)
            subject = (
                _("Overdue: %(title)s")
                if kind == ReminderKind.OVERDUE
                else _("Due soon: %(title)s")
            ) % {"title": action.title}
            body = _(
                "The improvement action '%(title)s' of %(org)s is due on %(date)s.\n\n%(url)s"
            ) % {
                "title": action.title,
                "org": action.organisation.name,
                "date": action.due_on.strftime("%d-%m-%Y"),
                "url": settings.KLANTRAAT_BASE_URL
                + f"/org/{action.organisation.slug}/actions/{action.pk}/",
            }
            send_mail(subject, body, None, [action.owner.email])
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
            sent += 1
    return sent


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
    return version.model.versions.order_by("-number").first()


@transaction.atomic
def evaluation_prepare(
    *, organisation: Organisation, today: dt.date | None = None
) -> ScanRound | None:
    """Prepare the next round as a draft from the latest one: same groups, same respondents,
    the newest published version of its model. Nothing is sent: a person opens the round."""
    today = today or timezone.localdate()
    schedule = (
        EvaluationSchedule.objects.select_for_update()
        .filter(organisation=organisation, active=True)
        .first()
    )
    if schedule is None or schedule.next_due_on > today:
        return None
    previous = organisation.rounds.order_by("-opens_on", "-pk").first()
    if previous is None:
        return None
    if ScanRound.objects.filter(previous_round=previous, status=RoundStatus.DRAFT).exists():
        schedule.next_due_on = schedule.advance()
        schedule.save(update_fields=["next_due_on"])
        return None
    version = _newest_version(previous.model_version)
    new_cells = set(ModelDoc(version.document).cell_by_code)
    old_cells = set(model_doc(previous).cell_by_code)
    draft = scan_services.round_create(
        organisation=organisation,
        title=previous.title,
        period=_("evaluation %(date)s") % {"date": today.strftime("%m-%Y")},
        opens_on=today + dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=35),
        model_version=version,
        group_kinds=list(previous.groups.values_list("kind", flat=True)),
        min_group_size=previous.min_group_size,
        previous_round=previous,
    )
    groups = {g.kind: g for g in draft.groups.all()}
    Respondent.objects.bulk_create(
        [
            Respondent(
                round=draft,
                group=groups[r.group.kind],
                email=r.email,
                name=r.name,
                department=r.department,
                language=r.language,
            )
            for r in previous.respondents.select_related("group")
            .exclude(email="")
            .filter(personal_data_erased_at__isnull=True)
        ]
    )
    dropped = sorted(old_cells - new_cells)
    if dropped:
        logger.info("round %s prepared; cells no longer in the model: %s", draft.pk, dropped)
    schedule.next_due_on = schedule.advance()
    schedule.save(update_fields=["next_due_on"])
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


# --- external measures --------------------------------------------------------------------

MEASURE_ALIASES = {
    "moving_in": {"moving_in", "betrekken", "woning betrekken", "nieuwe huurders"},
    "repairs": {"repairs", "reparaties", "reparatieverzoeken"},
    "moving_out": {"moving_out", "verlaten", "woning verlaten", "vertrokken huurders"},
    "tenant_rating": {"tenant_rating", "huurderswaardering", "klantwaardering"},
    "other": {"other", "anders", "overig"},
}


def _date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(value)


def measures_import(*, organisation: Organisation, filename: str, content: bytes) -> int:
    """All or nothing: columns source, measure, period, period_end, value, scale (optional)."""
    rows = scan_services.read_rows(filename, content)
    rows = [r for r in rows if any(r)]
    if len(rows) < 2:
        raise scan_services.ImportRejected([_("The file has no rows.")])
    header = [h.strip().lower() for h in rows[0]]
    aliases = {
        "source": {"source", "bron"},
        "measure": {"measure", "meting", "onderwerp"},
        "period": {"period", "periode"},
        "period_end": {"period_end", "einddatum", "periode eind"},
        "value": {"value", "waarde", "cijfer"},
        "scale": {"scale", "schaal"},
    }
    columns = {k: header.index(n) for k, names in aliases.items() for n in names if n in header}
    missing = [
        k for k in ("source", "measure", "period", "period_end", "value") if k not in columns
    ]
    if missing:
        raise scan_services.ImportRejected(
            [_("Row 1: missing columns: %(m)s.") % {"m": ", ".join(missing)}]
        )
    kinds = {alias: kind for kind, names in MEASURE_ALIASES.items() for alias in names}
    errors, pending = [], {}
    for number, row in enumerate(rows[1:], start=2):

        def cell(key, row=row):
            i = columns.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        kind = kinds.get(cell("measure").lower())
        if kind is None:
            errors.append(
                _("Row %(row)s: unknown measure '%(m)s'.") % {"row": number, "m": cell("measure")}
            )
            continue
        try:
            end = _date(cell("period_end"))
        except ValueError:
            errors.append(
                _("Row %(row)s: '%(d)s' is not a date (use 2026-03-31).")
                % {"row": number, "d": cell("period_end")}
            )
            continue
        try:
            value = Decimal(cell("value").replace(",", "."))
            scale = int(cell("scale") or 10)
        except (InvalidOperation, ValueError):
            errors.append(_("Row %(row)s: value and scale must be numbers.") % {"row": number})
            continue
        if not 0 <= value <= scale or scale not in (5, 10, 100):
            errors.append(
                _("Row %(row)s: value %(v)s is outside the scale 0–%(s)s.")
                % {"row": number, "v": value, "s": scale}
            )
            continue
        if not cell("source") or not cell("period"):
            errors.append(_("Row %(row)s: source and period are required.") % {"row": number})
            continue
        pending[(cell("source")[:120], kind, cell("period")[:20])] = (end, value, scale)
    if errors:
        raise scan_services.ImportRejected(errors)
    with transaction.atomic():
        for (source, kind, period), (end, value, scale) in pending.items():
            ExternalMeasure.objects.update_or_create(
                organisation=organisation,
                source=source,
                kind=kind,
                period=period,
                defaults={"period_end": end, "value": value, "scale_max": scale},
            )
    return len(pending)


# --- review and sign-off ------------------------------------------------------------------


def review_for(scan_round: ScanRound) -> Review:
    review, _created = Review.objects.get_or_create(round=scan_round)
    return review


@transaction.atomic
def review_save_summary(*, scan_round: ScanRound, user, summary: str, revision: int) -> Review:
    if _role(user, scan_round.organisation) != Role.CONSULTANT:
        raise PermissionDenied(_("Only the consultant writes the summary."))
    review = Review.objects.select_for_update().get(pk=review_for(scan_round).pk)
    if review.is_signed_off:
        raise CycleError(_("This review has been signed off; its summary is frozen."))
    if review.revision != revision:
        raise CycleError(
            _("Someone else changed this summary in the meantime. Reload the page and try again.")
        )
    review.summary = (summary or "").strip()[:5000]
    review.revision += 1
    review.save()
    return review


def frozen_snapshot(scan_round: ScanRound) -> dict:
    """The figures a director signs: cell scores per group, as shown at that moment."""
    scores = honeycomb_selectors.round_scores(scan_round)
    doc = model_doc(scan_round)
    groups = ["all", *scan_round.groups.values_list("kind", flat=True)]
    cells = {}
    for cell in doc.cells:
        cells[cell.code] = {}
        for group in groups:
            row = scores.cell(cell.code, group)
            shown = bool(row) and not row.get("suppressed")
            cells[cell.code][group] = {
                "mean": round(float(row["mean"]), 4) if shown else None,
                "n": int(row["n_respondents"]) if shown else None,
            }
    return {
        "cells": cells,
        "targets": current_targets(scan_round.organisation),
        "frozen_at": timezone.now().isoformat(),
    }


@transaction.atomic
def review_sign_off(*, scan_round: ScanRound, user, comment: str, revision: int) -> Review:
    if _role(user, scan_round.organisation) != Role.DIRECTOR:
        raise PermissionDenied(_("Only directors sign off a review."))
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
    review.frozen = {**frozen_snapshot(scan_round), "summary": review.summary}
    review.signed_off_by = user
    review.signed_off_at = timezone.now()
    review.sign_off_comment = (comment or "").strip()[:2000]
    review.revision += 1
    review.save()
    security_log.info("review signed off round=%s by=%s", scan_round.pk, user.pk)
    audit("sign_off", organisation=scan_round.organisation, actor=user, round=scan_round.pk)
    return review
