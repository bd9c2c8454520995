"""Improvement actions: creating, changing with history, progress updates with evidence."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Membership, Organisation
from core.permissions import Access

from ..errors import CycleError
from ..models import (
    ACTION_FIELDS,
    ActionCell,
    ActionEvent,
    ActionStatus,
    ActionUpdate,
    Evidence,
    ImprovementAction,
)
from ..permissions import can_change_action, can_create_action
from ..selectors import latest_model
from .assignment import assignment_mail

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


# --- actions ------------------------------------------------------------------------------

TRACKED = (
    "title",
    "description",
    "owner_id",
    "working_group_id",
    "start_on",
    "due_on",
    "status",
    "dropped_reason",
    "priority",
    "expected_effect",
)


def _validate_action(
    organisation: Organisation,
    *,
    cells: list[str],
    owner,
    working_group=None,
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
    if working_group is not None and working_group.organisation_id != organisation.pk:
        raise CycleError(_("The working group must be one of this organisation."))
    if working_group is not None and owner is not None:
        raise CycleError(_("An action is owned by a person or by a working group, not both."))
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
    access: Access | None,
    title: str,
    cells: list[str],
    description: str = "",
    owner=None,
    working_group=None,
    start_on=None,
    due_on=None,
    status: str = ActionStatus.IDEA,
    priority: int = 2,
    expected_effect: str = "",
    dropped_reason: str = "",
) -> ImprovementAction:
    if access is None or not can_create_action(access):
        raise PermissionDenied(_("Your role does not allow adding actions."))
    organisation, user = access.organisation, access.user
    if working_group is None and owner is None:
        owner = user  # nobody chosen: whoever adds it carries it
    _validate_action(
        organisation,
        cells=cells,
        owner=owner,
        working_group=working_group,
        start_on=start_on,
        due_on=due_on,
        status=status,
        dropped_reason=dropped_reason,
    )
    action = ImprovementAction(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        working_group=working_group,
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
    assignment_mail(action, actor=user)
    return action


@transaction.atomic
def action_change(
    *,
    action: ImprovementAction,
    access: Access | None,
    revision: int,
    cells: list[str] | None = None,
    **changes,
) -> ImprovementAction:
    """Change an action. ``revision`` must match: an edit based on an outdated page is refused
    instead of silently overwriting someone else's change."""
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if access is None or not can_change_action(access, locked):
        raise PermissionDenied(
            _("Only the owner, the working-group chair and consultants change an action.")
        )
    user = access.user
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
        working_group=locked.working_group,
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
    if "owner_id" in diff or "working_group_id" in diff:
        assignment_mail(locked, actor=user)
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
def action_progress(
    *, action: ImprovementAction, access: Access | None, note: str, files=()
) -> ActionUpdate:
    if access is None or not can_change_action(access, action):
        raise PermissionDenied(
            _("Only the owner, the working-group chair and consultants change an action.")
        )
    user = access.user
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
