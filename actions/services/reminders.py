"""Reminders to action owners about due and overdue actions."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.outbox import message_enqueue, register

from ..models import (
    OPEN_STATUSES,
    ActionReminder,
    ImprovementAction,
    ReminderKind,
)
from .assignment import assignees

# The actions' kind of message in the one outbox (core).
ACTION_REMINDER = "action_reminder"

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


# --- reminders ----------------------------------------------------------------------------

DUE_SOON_DAYS = 7


def reminders_send(today: dt.date | None = None) -> int:
    """Mail owners about actions due within a week or overdue, at most once per action, kind
    and ISO week. Safe to run as often as beat likes. The mail is queued in the outbox in the
    reminder's transaction and leaves after commit; ``sent_at`` is written once it has."""
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    period = f"{year}-W{week:02d}"
    sent = 0
    candidates = ImprovementAction.objects.filter(
        status__in=OPEN_STATUSES,
        due_on__isnull=False,
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    ).select_related("owner", "working_group", "organisation")
    for action in candidates:
        assert action.due_on is not None  # the query asks it
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
                "date": date_format(action.due_on, "DATE_FORMAT"),
                "url": settings.KLANTRAAT_BASE_URL
                + reverse(
                    "actions:detail", kwargs={"org": action.organisation.slug, "pk": action.pk}
                ),
            }
            # The owner, or the members of the owning working group.
            recipients = sorted({p.email for p in assignees(action) if p.email})
            if not recipients:
                continue  # nobody carries it: the reminder is recorded, nothing is sent
            for email in recipients:
                message_enqueue(
                    kind=ACTION_REMINDER,
                    to=email,
                    subject=subject,
                    body=body,
                    ref_id=reminder.pk,
                    key=f"action-reminder:{reminder.pk}:{email}"[:120],
                )
            sent += 1
    return sent


def _reminder_sent(row, provider_id: str) -> None:
    ActionReminder.objects.filter(pk=row.ref_id).update(sent_at=timezone.now())


def register_outbox_kinds() -> None:
    """Called from ActionsConfig.ready(): the outbox records a sent reminder on its row."""
    register(ACTION_REMINDER, on_sent=_reminder_sent)
