"""Reminders to action owners about due and overdue actions."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    OPEN_STATUSES,
    ActionReminder,
    ImprovementAction,
    ReminderKind,
)
from .assignment import assignees

logger = logging.getLogger("klantraat.actions")

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


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
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    ).select_related("owner", "working_group", "organisation")
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
                "date": date_format(action.due_on, "DATE_FORMAT"),
                "url": settings.KLANTRAAT_BASE_URL
                + reverse(
                    "actions:detail", kwargs={"org": action.organisation.slug, "pk": action.pk}
                ),
            }
            # The owner, or the members of the owning working group.
            recipients = [p.email for p in assignees(action) if p.email]
            if not recipients:
                continue  # nobody carries it: the reminder is recorded, nothing is sent
            send_mail(subject, body, None, recipients)
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
            sent += 1
    return sent
