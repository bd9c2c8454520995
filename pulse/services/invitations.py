"""Invitations out: each scheduled invitation is sent once, by e-mail or SMS, after the moment's
delay; at most one reminder, never by SMS; contact details erased once the link has expired."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from scan.models import Delivery, UndeliverableAddress
from scan.services.delivery import (
    BLOCKING,
    DeliveryReport,
    address_key,
    address_undeliverable,
    delivery_apply,
)
from scan.services.outbox import UNDELIVERABLE

from ..links import link_token
from ..models import Channel, Contact, InvitationStatus, PulseInvitation
from ..sms import sms_backend
from ..wording import moment_question, sender

logger = logging.getLogger("klantraat.pulse")

CLAIM_TIMEOUT = dt.timedelta(minutes=10)
REMINDER_AFTER = dt.timedelta(days=5)
MAX_ATTEMPTS = 5


def survey_url(invitation: PulseInvitation, language: str = "nl") -> str:
    token = link_token(invitation.link_nonce)
    with translation.override(language):  # the English page lives under /en/
        path = reverse("pulse_public:survey", kwargs={"token": token})
    return settings.KLANTRAAT_BASE_URL + path


def _claim(invitation_id: int, now, *, reminder: bool) -> PulseInvitation | None:
    with transaction.atomic():
        invitation = (
            PulseInvitation.objects.select_for_update(of=("self",))
            .select_related(
                "event__contact", "event__moment", "event__organisation", "event__partner"
            )
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.expires_at <= now:
            return None
        wanted = InvitationStatus.SENT if reminder else InvitationStatus.SCHEDULED
        if invitation.status != wanted or (reminder and invitation.reminded_at):
            return None
        if invitation.claimed_at and now - invitation.claimed_at < CLAIM_TIMEOUT:
            return None
        invitation.claimed_at = now
        invitation.attempts += 1
        invitation.save(update_fields=["claimed_at", "attempts"])
        return invitation


def invitation_send(invitation_id: int, *, reminder: bool = False) -> bool:
    """Send one invitation (or its reminder) at most once; True when this call sent it."""
    now = timezone.now()
    invitation = _claim(invitation_id, now, reminder=reminder)
    if invitation is None:
        return False
    contact = invitation.event.contact
    organisation = invitation.event.organisation
    # The tenant's language is not known: the mail is in Dutch with the same text in English
    # below it, the SMS in Dutch (the survey page switches to English).
    context = {
        "organisation": organisation.name,
        "question_nl": moment_question(invitation.event, "nl"),
        "question_en": moment_question(invitation.event, "en"),
        "link": survey_url(invitation),
        "link_en": survey_url(invitation, "en"),
        "expires_on": timezone.localtime(invitation.expires_at).date(),
        "reminder": reminder,
        "can_reply": bool(organisation.reply_to),
    }
    by_sms = invitation.channel == Channel.SMS and not reminder
    if address_undeliverable(contact.phone if by_sms else contact.email):
        # Bounced hard or complained before (scan.services.delivery): not sent again.
        PulseInvitation.objects.filter(pk=invitation.pk).update(
            claimed_at=None,
            status=InvitationStatus.FAILED,
            last_error=UNDELIVERABLE,
            delivery=Delivery.HARD_BOUNCE,
        )
        return False
    message_id: str | None
    try:
        with translation.override("nl"):
            if by_sms:
                message_id = sms_backend().send(
                    to=contact.phone,
                    text=render_to_string("pulse/sms_invitation.txt", context).strip(),
                    reference=f"pulse-{invitation.pk}",
                )
            else:
                if not contact.email:
                    return _finish(invitation, sent=False, error="no e-mail address for a reminder")
                subject = render_to_string("pulse/mail_invitation_subject.txt", context).strip()
                body = render_to_string("pulse/mail_invitation.txt", context)
                # From the corporation by name; the platform's address stays the envelope.
                message = EmailMessage(
                    subject=subject,
                    body=body,
                    from_email=sender(organisation.name),
                    to=[contact.email],
                    reply_to=[organisation.reply_to] if organisation.reply_to else None,
                    headers={"Message-ID": f"<pulse-{invitation.pk}-{int(reminder)}@klantraat>"},
                )
                # The mail service's status webhook finds the invitation by this or its own id.
                message.metadata = {"klantraat": f"pulse-{invitation.pk}"}  # type: ignore[attr-defined]
                message.send()
                status = getattr(message, "anymail_status", None)
                message_id = getattr(status, "message_id", None)
    except Exception as exc:  # a provider or SMTP failure: retried by the next sweep
        logger.warning("pulse invitation %s not sent", invitation.pk, exc_info=True)
        failed = invitation.attempts >= MAX_ATTEMPTS
        PulseInvitation.objects.filter(pk=invitation.pk).update(
            claimed_at=None,
            last_error=str(exc)[:500],
            status=InvitationStatus.FAILED if failed else invitation.status,
        )
        return False
    return _finish(invitation, sent=True, reminder=reminder, message_id=message_id)


def _finish(
    invitation, *, sent: bool, reminder: bool = False, error: str = "", message_id=None
) -> bool:
    updates: dict[str, Any] = {"claimed_at": None, "last_error": error}
    if message_id is not None:  # the latest message is the one whose report counts
        updates.update(provider_message_id=str(message_id)[:255], delivery="", delivery_reason="")
    if sent and reminder:
        updates["reminded_at"] = timezone.now()
    elif sent:
        updates.update(status=InvitationStatus.SENT, sent_at=timezone.now())
    PulseInvitation.objects.filter(pk=invitation.pk).update(**updates)
    return sent


def invitations_send_due(now=None) -> dict[str, int]:
    """Run by beat: send what is due, remind once by e-mail, expire what has passed."""
    now = now or timezone.now()
    due = PulseInvitation.objects.filter(
        status=InvitationStatus.SCHEDULED, send_after__lte=now, expires_at__gt=now
    ).values_list("pk", flat=True)
    sent = sum(invitation_send(pk) for pk in list(due))
    remind = PulseInvitation.objects.filter(
        status=InvitationStatus.SENT,
        channel=Channel.EMAIL,
        reminded_at__isnull=True,
        sent_at__lte=now - REMINDER_AFTER,
        expires_at__gt=now,
    ).values_list("pk", flat=True)
    reminded = sum(invitation_send(pk, reminder=True) for pk in list(remind))
    expired = PulseInvitation.objects.filter(
        status__in=[InvitationStatus.SCHEDULED, InvitationStatus.SENT], expires_at__lte=now
    ).update(status=InvitationStatus.EXPIRED)
    return {"sent": sent, "reminded": reminded, "expired": expired}


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
