"""Call-backs that reach someone: the handlers (the pulse's ``handle_callbacks`` capability) are
mailed when a tenant asks to be called and once a day about overdue call-backs; a call-back has
an owner, a due date and is closed only with an outcome, which stays while the tenant's contact
details are erased.

Mails are queued in the outbox (core.outbox) in the transaction that causes them and
leave after commit; a mail never carries the tenant's contact details, only a link to the
pulse page, where the handler signs in to see them."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Membership, Organisation
from core.outbox import message_enqueue
from core.permissions import Access, role_held

from ..models import CallBack, CallBackStatus, MessageKind
from ..permissions import PULSE_POLICY
from .events import PulseError

logger = logging.getLogger("klantraat.pulse")

NOTE_MAX = 2000
MAIL_LANGUAGE = "nl"  # accounts carry no language; the product's first language


def call_back_handlers(organisation: Organisation) -> list:
    """The people of the organisation who handle call-backs, as the pulse policy names them."""
    memberships = (
        Membership.objects.filter(
            organisation=organisation,
            role__in=PULSE_POLICY.roles("handle_callbacks"),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__email")
    )
    return [m.user for m in memberships if role_held(m.user, m.role) and m.user.email]


def _require(access: Access | None, call_back: CallBack) -> Access:
    if access is None or access.organisation.pk != call_back.organisation_id:
        raise PermissionDenied
    PULSE_POLICY.require(access, "handle_callbacks")
    return access


def _pulse_url(organisation: Organisation) -> str:
    with translation.override(MAIL_LANGUAGE):
        path = reverse("pulse:overview", kwargs={"org": organisation.slug})
    return f"{settings.KLANTRAAT_BASE_URL}{path}#call-backs"


def _date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _write(recipient, key: str, subject: str, body: str) -> bool:
    """One mail per recipient and key, queued in the outbox in the caller's transaction (it
    leaves after commit); a second attempt (a retried task) queues nothing."""
    return (
        message_enqueue(
            kind=MessageKind.CALL_BACK,
            to=recipient.email,
            subject=subject,
            body=body,
            ref_id=recipient.pk,
            key=f"call-back:{recipient.pk}:{key}",
        )
        is not None
    )


def call_back_notify_new(call_back: CallBack) -> int:
    """Mail every handler that a tenant asked to be contacted; call inside the transaction that
    made the call-back (the mails leave after it commits)."""
    organisation = call_back.organisation
    response = call_back.response
    with translation.override(MAIL_LANGUAGE):
        subject = _("Call-back request: %(moment)s, grade %(grade)s") % {
            "moment": response.moment.name(MAIL_LANGUAGE),
            "grade": response.grade,
        }
        body = _(
            'A tenant of %(org)s graded "%(moment)s"%(partner)s with a %(grade)s and asked to be '
            "contacted. Please call or mail them before %(date)s.\n\n"
            "The contact details are on the tenant pulse page, for those who handle call-backs "
            "only; this mail leaves them out on purpose. Write down the outcome there when you "
            "are done.\n\n%(url)s"
        ) % {
            "org": organisation.name,
            "moment": response.moment.name(MAIL_LANGUAGE),
            "partner": (_(" (%(partner)s)") % {"partner": call_back.partner.name})
            if call_back.partner
            else "",
            "grade": response.grade,
            "date": _date(call_back.deadline),
            "url": _pulse_url(organisation),
        }
    return sum(
        _write(handler, f"new-{call_back.pk}", subject, body)
        for handler in call_back_handlers(organisation)
    )


def overdue_call_backs(organisation: Organisation, today: dt.date):
    return (
        CallBack.objects.filter(
            organisation=organisation, status=CallBackStatus.OPEN, deadline__lt=today
        )
        .select_related("response__moment", "partner", "owner")
        .order_by("deadline", "pk")
    )


def call_backs_send_overdue_digest(today: dt.date | None = None) -> int:
    """Run daily by beat: each handler gets one mail per organisation and day listing the
    overdue call-backs (none when there are none). Safe to run again the same day."""
    today = today or timezone.localdate()
    organisation_ids = (
        CallBack.objects.filter(status=CallBackStatus.OPEN, deadline__lt=today)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    written = 0
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)):
        overdue = list(overdue_call_backs(organisation, today))
        with translation.override(MAIL_LANGUAGE):
            subject = ngettext(
                "%(n)s overdue call-back at %(org)s",
                "%(n)s overdue call-backs at %(org)s",
                len(overdue),
            ) % {"n": len(overdue), "org": organisation.name}
            lines = [
                _("- %(moment)s, grade %(grade)s, due %(date)s, owner: %(owner)s")
                % {
                    "moment": cb.response.moment.name(MAIL_LANGUAGE),
                    "grade": cb.response.grade,
                    "date": _date(cb.deadline),
                    "owner": (cb.owner.get_full_name() or cb.owner.email)
                    if cb.owner
                    else _("nobody yet"),
                }
                for cb in overdue
            ]
            body = (
                _("These tenants of %(org)s asked to be contacted and are still waiting:")
                % {"org": organisation.name}
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Contact details and the outcome form are on the tenant pulse page:")
                + "\n"
                + _pulse_url(organisation)
            )
        with transaction.atomic():
            written += sum(
                _write(handler, f"overdue-{organisation.pk}-{today.isoformat()}", subject, body)
                for handler in call_back_handlers(organisation)
            )
    return written


@transaction.atomic
def call_back_assign(*, access: Access | None, call_back: CallBack, owner_id: int | None):
    """Give a call-back an owner (one of the handlers), or none."""
    _require(access, call_back)
    locked = CallBack.objects.select_for_update().get(pk=call_back.pk)
    if locked.status != CallBackStatus.OPEN:
        raise PulseError([_("This call-back has already been closed.")])
    owner = None
    if owner_id is not None:
        owner = next((u for u in call_back_handlers(locked.organisation) if u.pk == owner_id), None)
        if owner is None:
            raise PulseError([_("Choose someone who handles call-backs in this organisation.")])
    locked.owner = owner
    locked.save(update_fields=["owner"])
    return locked


def clean_note(note: str) -> str:
    # Control characters (a NUL, which PostgreSQL refuses) are no part of a note; lines stay.
    note = "".join(c for c in (note or "") if c.isprintable() or c in "\r\n\t")
    return note.strip()[:NOTE_MAX]


@transaction.atomic
def call_back_done(
    *, call_back: CallBack, note: str = "", access: Access | None = None
) -> CallBack:
    """Close a call-back with its outcome (required), erasing the tenant's contact details."""
    if access is not None:
        _require(access, call_back)
    outcome = clean_note(note)
    if not outcome:
        raise PulseError(
            [_("Write down the outcome: a call-back is closed only with what was agreed.")]
        )
    locked = CallBack.objects.select_for_update().get(pk=call_back.pk)
    if locked.status != CallBackStatus.OPEN:
        raise PulseError([_("This call-back has already been closed.")])
    locked.status = CallBackStatus.DONE
    locked.done_at = timezone.now()
    locked.done_by = access.user if access is not None else None
    locked.note = outcome
    locked.email = ""
    locked.phone = ""
    locked.save(update_fields=["status", "done_at", "done_by", "note", "email", "phone"])
    return locked
