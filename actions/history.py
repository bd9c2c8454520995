"""The history of an improvement action as people read it: "Status: Gepland → Bezig"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.db.models import Field
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import ActionEvent, ActionStatus, ImprovementAction, Priority, WorkingGroup

DATE_FIELDS = ("start_on", "due_on")


def _field_label(field: str) -> str:
    if field == "cells":
        return _("Cells")
    name = field.removesuffix("_id") if field in ("owner_id", "working_group_id") else field
    try:
        model_field = ImprovementAction._meta.get_field(name)
    except Exception:  # a field that is no longer on the model: show its code
        return field
    if not isinstance(model_field, Field):  # a relation seen from the other side
        return field
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def _value(field: str, value, users: Mapping, cell_names: Mapping[str, str]) -> str:
    if value in (None, "", []):
        return "–"
    if field == "status":
        return str(dict(ActionStatus.choices).get(value, value))
    if field == "priority":
        return str(dict(Priority.choices).get(value, value))
    if field == "owner_id":
        return users.get(value, "–")
    if field == "working_group_id":
        return users.get(("group", value), "–")
    if field in DATE_FIELDS:
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    if field == "cells":
        return ", ".join(cell_names.get(code, code) for code in value)
    return str(value)


def history_rows(events: Iterable[ActionEvent], cell_names: Mapping[str, str]) -> list[dict]:
    events = list(events)
    owner_ids = {
        v
        for e in events
        if e.kind == "changed" and "owner_id" in e.changes
        for v in e.changes["owner_id"]
        if v
    }
    users: dict = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=owner_ids)}
    group_ids = {
        v
        for e in events
        if e.kind == "changed" and "working_group_id" in e.changes
        for v in e.changes["working_group_id"]
        if v
    }
    users.update({("group", g.pk): g.name for g in WorkingGroup.objects.filter(pk__in=group_ids)})
    rows = []
    for event in events:
        if event.kind == "created":
            text = _("created the action")
        elif event.kind == "progress":
            text = _("added a progress update")
        elif event.kind == "changed":
            text = "; ".join(
                f"{_field_label(field)}: {_value(field, old, users, cell_names)} → "
                f"{_value(field, new, users, cell_names)}"
                for field, (old, new) in event.changes.items()
            )
        else:
            text = event.kind
        rows.append({"at": event.at, "actor": event.actor, "text": text})
    return rows


def _name(user) -> str:
    if user is None:
        return _("a former user")
    return user.get_full_name() or user.email


def sign_off_history(review) -> list[dict]:
    """Every sign-off of a round's review, oldest first: who signed when (with the comment),
    who withdrew when and why, and the signed version to read again; the sign-off in force,
    if any, last."""
    from .models import WithdrawnSignOff

    if review is None or review.pk is None:
        return []
    # Read from the review's own query where it was asked (selectors.review_with_round).
    withdrawals = (
        WithdrawnSignOff.objects.filter(review=review)
        .select_related("signed_off_by", "withdrawn_by")
        .order_by("signed_off_at", "pk")
        if getattr(review, "has_withdrawals", True)
        else []
    )
    entries = [
        {
            "pk": w.pk,
            "signed_by": _name(w.signed_off_by),
            "signed_at": w.signed_off_at,
            "comment": w.sign_off_comment,
            "withdrawn_by": _name(w.withdrawn_by),
            "withdrawn_at": w.withdrawn_at,
            "reason": w.reason,
            # A sign-off from before snapshots existed froze no results to read again.
            "readable": "results" in (w.frozen or {}),
        }
        for w in withdrawals
    ]
    if review.is_signed_off:
        entries.append(
            {
                "pk": None,
                "signed_by": _name(review.signed_off_by),
                "signed_at": review.signed_off_at,
                "comment": review.sign_off_comment,
                "in_force": True,
            }
        )
    return entries
