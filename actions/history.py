"""The history of an improvement action as people read it: "Status: Gepland → Bezig"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import ActionEvent, ActionStatus, ImprovementAction, Priority

DATE_FIELDS = ("start_on", "due_on")


def _field_label(field: str) -> str:
    if field == "cells":
        return _("Cells")
    name = "owner" if field == "owner_id" else field
    try:
        label = str(ImprovementAction._meta.get_field(name).verbose_name)
    except Exception:  # a field that is no longer on the model: show its code
        return field
    return label[:1].upper() + label[1:]


def _value(field: str, value, users: Mapping[int, str], cell_names: Mapping[str, str]) -> str:
    if value in (None, "", []):
        return "–"
    if field == "status":
        return str(dict(ActionStatus.choices).get(value, value))
    if field == "priority":
        return str(dict(Priority.choices).get(value, value))
    if field == "owner_id":
        return users.get(value, "–")
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
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=owner_ids)}
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
