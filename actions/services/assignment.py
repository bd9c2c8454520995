"""Mail for whoever an action is assigned to: its owner, or the members of its working group.
Whoever made the assignment is not mailed about it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.outbox import Notice, notices_queue

from ..models import ImprovementAction


def assignees(action: ImprovementAction) -> list:
    """The people who carry the action: its owner, or its working group's active members."""
    if action.working_group is not None:
        return list(action.working_group.members.filter(is_active=True).order_by("pk"))
    return [action.owner] if action.owner is not None and action.owner.is_active else []


def _notice(action: ImprovementAction, person, link: str) -> Notice:
    with translation.override(getattr(person, "preferred_language", None) or "nl"):
        group = action.working_group.name if action.working_group is not None else ""
        lines = [
            _("Hello %(name)s,") % {"name": person.first_name or person.email},
            "",
            (
                _(
                    "The working group %(group)s now carries the improvement action “%(title)s” of %(org)s."
                )
                % {"group": group, "title": action.title, "org": action.organisation.name}
                if group
                else _("You now carry the improvement action “%(title)s” of %(org)s.")
                % {"title": action.title, "org": action.organisation.name}
            ),
        ]
        if action.due_on:
            lines.append(
                _("It is due on %(date)s.") % {"date": date_format(action.due_on, "DATE_FORMAT")}
            )
        lines += ["", _("See the action and record progress:"), link]
        return Notice(
            to=person.email,
            subject=_("Action assigned to you: %(title)s") % {"title": action.title},
            body="\n".join(lines) + "\n",
        )


def assignment_mail(action: ImprovementAction, *, actor) -> int:
    """Queue the assignment mail for the action's assignees (not ``actor``); returns how many."""
    link = settings.KLANTRAAT_BASE_URL + reverse(
        "actions:detail", kwargs={"org": action.organisation.slug, "pk": action.pk}
    )
    people = [p for p in assignees(action) if p.email and (actor is None or p.pk != actor.pk)]
    return notices_queue(
        notices=[_notice(action, p, link) for p in people],
        reply_to=action.organisation.reply_to,
    )
