"""Invitations out: each scheduled invitation is queued in the outbox once it is due and sent
once by the mail workers, by e-mail or SMS; at most one reminder, never by SMS; contact
details erased once the link has expired."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Delivery, MessageChannel, OutgoingMail, UndeliverableAddress
from core.outbox import (
    UNDELIVERABLE,
    DeliveryReport,
    Rendered,
    address_key,
    delivery_apply,
    messages_enqueue,
    register,
)
from core.outbox.delivery import BLOCKING

from ..links import link_token
from ..models import Channel, Contact, InvitationStatus, MessageKind, PulseInvitation
from ..wording import moment_question, sender

logger = logging.getLogger("klantraat.pulse")

REMINDER_AFTER = dt.timedelta(days=5)
# Invitations handed to the outbox per transaction by the beat task.
ENQUEUE_BATCH = 1000


def survey_url(invitation: PulseInvitation, language: str = "nl") -> str:
    token = link_token(invitation.link_nonce)
    with translation.override(language):  # the English page lives under /en/
        path = reverse("pulse_public:survey", kwargs={"token": token})
    return settings.KLANTRAAT_BASE_URL + path


def _context(invitation: PulseInvitation, *, reminder: bool) -> dict:
    organisation = invitation.event.organisation
    # The tenant's language is not known: the mail is in Dutch with the same text in English
    # below it, the SMS in Dutch (the survey page switches to English).
    return {
        "organisation": organisation.name,
        "question_nl": moment_question(invitation.event, "nl"),
        "question_en": moment_question(invitation.event, "en"),
        "link": survey_url(invitation),
        "link_en": survey_url(invitation, "en"),
        "expires_on": timezone.localtime(invitation.expires_at).date(),
        "reminder": reminder,
        "can_reply": bool(organisation.reply_to),
    }


def render_invitations(rows: list[OutgoingMail]) -> dict[int, Rendered | None]:
    """The outbox's renderer for pulse invitations and reminders: read at send time, so the
    link (from the invitation's nonce) is never stored and an invitation that was answered,
    expired or erased meanwhile is not sent (None)."""
    now = timezone.now()
    invitations = PulseInvitation.objects.select_related(
        "event__contact", "event__moment", "event__organisation", "event__partner"
    ).in_bulk([row.ref_id for row in rows if row.ref_id is not None])
    rendered: dict[int, Rendered | None] = {}
    for row in rows:
        reminder = row.kind == MessageKind.PULSE_REMINDER
        invitation = invitations.get(row.ref_id or 0)
        wanted = InvitationStatus.SENT if reminder else InvitationStatus.SCHEDULED
        if (
            invitation is None
            or invitation.expires_at <= now
            or invitation.status != wanted
            or (reminder and invitation.reminded_at)
        ):
            rendered[row.pk] = None
            continue
        contact = invitation.event.contact
        organisation = invitation.event.organisation
        context = _context(invitation, reminder=reminder)
        with translation.override("nl"):
            if row.channel == MessageChannel.SMS:
                text = render_to_string("pulse/sms_invitation.txt", context).strip()
                rendered[row.pk] = Rendered(
                    to=contact.phone, subject="", body=text, reference=f"pulse-{invitation.pk}"
                )
                continue
            rendered[row.pk] = Rendered(
                to=contact.email,
                subject=render_to_string("pulse/mail_invitation_subject.txt", context).strip(),
                body=render_to_string("pulse/mail_invitation.txt", context),
                # From the corporation by name; the platform's address stays the envelope.
                from_email=sender(organisation.name),
                reply_to=[organisation.reply_to] if organisation.reply_to else [],
                # The mail service's status webhook finds the invitation by this or its own id.
                reference=f"pulse-{invitation.pk}",
            )
    return rendered


def invitation_sent(row: OutgoingMail, provider_id: str) -> None:
    """Recorded on the invitation in the transaction that marks the outbox row sent."""
    updates: dict = {"last_error": ""}
    if provider_id:  # the latest message is the one whose report counts
        updates.update(provider_message_id=provider_id[:255], delivery="", delivery_reason="")
    if row.kind == MessageKind.PULSE_REMINDER:
        updates["reminded_at"] = timezone.now()
    else:
        updates.update(status=InvitationStatus.SENT, sent_at=timezone.now())
    PulseInvitation.objects.filter(pk=row.ref_id or 0).update(**updates)


def invitation_failed(row: OutgoingMail, error: str) -> None:
    updates: dict = {"last_error": error[:500]}
    if row.kind == MessageKind.PULSE_INVITATION:
        updates["status"] = InvitationStatus.FAILED
        if error == UNDELIVERABLE:
            updates["delivery"] = Delivery.HARD_BOUNCE
    PulseInvitation.objects.filter(pk=row.ref_id or 0).update(**updates)


def _enqueue_all(candidates, kind: str) -> int:
    """Hand every candidate to the outbox, ENQUEUE_BATCH at a time, each batch in its own short
    transaction (its messages leave after it commits). Walks by id and leaves out those already
    queued with one indexed look-up per batch, so no query grows with the outbox."""
    queued, last = 0, 0
    candidates = candidates.order_by("pk")
    while True:
        batch = list(candidates.filter(pk__gt=last).values_list("pk", "channel")[:ENQUEUE_BATCH])
        if not batch:
            return queued
        last = batch[-1][0]
        done = set(
            OutgoingMail.objects.filter(kind=kind, ref_id__in=[pk for pk, _ in batch]).values_list(
                "ref_id", flat=True
            )
        )
        rows = [
            OutgoingMail(
                kind=kind,
                ref_id=pk,
                key=f"{kind}:{pk}",
                channel=MessageChannel.SMS
                if channel == Channel.SMS and kind == MessageKind.PULSE_INVITATION
                else MessageChannel.EMAIL,
            )
            for pk, channel in batch
            if pk not in done
        ]
        if rows:
            with transaction.atomic():
                queued += len(messages_enqueue(rows))


def invitations_send_due(now=None) -> dict[str, int]:
    """Run by beat: queue what is due in the outbox (sent by the mail workers, never here),
    remind once by e-mail, expire what has passed."""
    now = now or timezone.now()
    due = PulseInvitation.objects.filter(
        status=InvitationStatus.SCHEDULED, send_after__lte=now, expires_at__gt=now
    )
    queued = _enqueue_all(due, MessageKind.PULSE_INVITATION)
    remind = PulseInvitation.objects.filter(
        status=InvitationStatus.SENT,
        channel=Channel.EMAIL,
        reminded_at__isnull=True,
        sent_at__lte=now - REMINDER_AFTER,
        expires_at__gt=now,
    )
    reminded = _enqueue_all(remind, MessageKind.PULSE_REMINDER)
    expired = PulseInvitation.objects.filter(
        status__in=[InvitationStatus.SCHEDULED, InvitationStatus.SENT], expires_at__lte=now
    ).update(status=InvitationStatus.EXPIRED)
    return {"queued": queued, "reminded": reminded, "expired": expired}


def contacts_erase_expired(now=None) -> int:
    """Privacy by design: contact details go once the link can no longer be used (plus
    KLANTRAAT_PULSE_CONTACT_RETENTION_DAYS, default 0), or at once for a skipped invitation."""
    now = now or timezone.now()
    keep = dt.timedelta(days=getattr(settings, "KLANTRAAT_PULSE_CONTACT_RETENTION_DAYS", 0))
    contacts = Contact.objects.filter(erased_at__isnull=True).filter(
        event__invitation__expires_at__lte=now - keep
    ) | Contact.objects.filter(
        erased_at__isnull=True,
        event__invitation__status__in=[InvitationStatus.SKIPPED, InvitationStatus.ANSWERED],
    )
    return contacts.update(email="", phone="", erased_at=now)


def invitation_delivery_record(report: DeliveryReport) -> PulseInvitation | None:
    """A provider's report about an invitation (mail or SMS). When the address or number is
    bad, the contact's own spelling of it is blocked too (providers write numbers as +31…)."""
    invitation = delivery_apply(PulseInvitation, report, reference_prefix="pulse-")
    if invitation is None or report.delivery not in BLOCKING:
        return invitation
    contact = Contact.objects.filter(event__invitation=invitation).first()
    address = contact and (contact.phone if invitation.channel == Channel.SMS else contact.email)
    if address:
        UndeliverableAddress.objects.get_or_create(
            address_key=address_key(address),
            defaults={"delivery": report.delivery, "reason": report.reason},
        )
    return invitation


def register_outbox_kinds() -> None:
    """Called from PulseConfig.ready(): how the outbox renders and records pulse messages."""
    for kind in (MessageKind.PULSE_INVITATION, MessageKind.PULSE_REMINDER):
        register(
            kind, render=render_invitations, on_sent=invitation_sent, on_failed=invitation_failed
        )
