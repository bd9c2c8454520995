"""Sending the outbox: a batch of rows is claimed in one UPDATE, each message is made final
(its live link rendered now, never stored), sent, and recorded on its own row at once, so a
worker killed mid-batch leaves the rest claimed for the sweeper to hand out again.

Apps whose messages need more than the stored text register a renderer for their kind
(``core.outbox.kinds.register``): it reads what the message is about at send time and returns
a ``Rendered`` per row, or None when the message is no longer needed."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import Delivery, MailStatus, MessageChannel, OutgoingMail
from .delivery import undeliverable_among
from .kinds import Rendered, claimable, kind_of, related_paths
from .queue import (
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    UNDELIVERABLE,
    backoff,
    mail_message_id,
    mail_seconds,
)

logger = logging.getLogger("klantraat.outbox")


def _claim(mail_ids: list[int], now) -> list[OutgoingMail]:
    """Take the rows that are still to send and not held by a live claim, in one UPDATE."""
    claim = uuid.uuid4().hex
    stale = now - mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
    OutgoingMail.objects.filter(
        pk__in=mail_ids, status=MailStatus.QUEUED, sent_at__isnull=True
    ).filter(claimable()).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=stale)).update(
        claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    # What the kinds' renderers read comes with the rows (one query for the batch).
    return list(
        OutgoingMail.objects.filter(claim=claim).select_related(*related_paths()).order_by("pk")
    )


def outbox_send_batch(mail_ids: list[int]) -> int:
    """Send the given messages that are still to send; returns how many this call sent."""
    mails = _claim(list(mail_ids), timezone.now())
    by_kind: dict[str, list[OutgoingMail]] = {}
    for mail in mails:
        by_kind.setdefault(mail.kind, []).append(mail)
    sent = 0
    for kind, rows in by_kind.items():
        rendered = _render(kind, rows)
        # Addresses that bounced hard or complained before, for the whole batch in one query.
        bounced = undeliverable_among(r.to for r in rendered.values() if r is not None)
        for mail in rows:
            sent += _send_one(mail, rendered.get(mail.pk), bounced)
    return sent


def mail_send(mail_id: int) -> bool:
    """Send one queued message at most once. Returns True when this call sent it."""
    return outbox_send_batch([mail_id]) == 1


def _render(kind: str, rows: list[OutgoingMail]) -> dict[int, Rendered | None]:
    registered = kind_of(kind)
    if registered and registered.render:
        return registered.render(rows)
    return {
        mail.pk: Rendered(
            to=mail.recipient,
            subject=mail.subject,
            body=mail.body,
            reply_to=[mail.reply_to] if mail.reply_to else [],
        )
        for mail in rows
    }


def _send_one(mail: OutgoingMail, rendered: Rendered | None, bounced: set[str]) -> int:
    if mail.status != MailStatus.QUEUED:  # given up while rendering
        return 0
    if rendered is None:  # no longer needed (answered, expired, erased)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.CANCELLED, claimed_at=None, claim=""
        )
        return 0
    if not rendered.to or rendered.to in bounced:
        # Bounced hard or complained before: not sent again until the address changes.
        OutgoingMail.objects.filter(pk=mail.pk).update(delivery=Delivery.HARD_BOUNCE)
        give_up(mail, UNDELIVERABLE if rendered.to else "no address")
        return 0
    try:
        provider_id = _transport(mail, rendered)
    except Exception as exc:  # SMTP, provider and connection errors of every kind
        _attempt_failed(mail, exc)
        return 0
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        OutgoingMail.objects.filter(pk=mail.pk).update(
            sent_at=timezone.now(),
            status=MailStatus.SENT,
            last_error="",
            claimed_at=None,
            claim="",
            link_nonce="",  # the link went out; only its hash stays
            provider_message_id=provider_id[:255],
        )
        hooks = kind_of(mail.kind)
        if hooks and hooks.on_sent:
            hooks.on_sent(mail, provider_id)
    return 1


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL the "sent" mark commits without waiting for its WAL flush: a killed
    worker loses nothing (the server has the commit), only a crash of the database server
    itself could forget the last fraction of a second of marks, and those messages go again
    with the same Message-ID. Waiting for the disk per message would bound sending to the
    disk's flush rate."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _transport(mail: OutgoingMail, rendered: Rendered) -> str:
    reference = rendered.reference or f"mail-{mail.pk}"
    if mail.channel == MessageChannel.SMS:
        backend = import_string(
            getattr(settings, "KLANTRAAT_SMS_BACKEND", "pulse.sms.FileSmsBackend")
        )()
        return str(backend.send(to=rendered.to, text=rendered.body, reference=reference))
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.body,
        from_email=rendered.from_email,
        to=[rendered.to],
        reply_to=rendered.reply_to or None,
        headers={"Message-ID": mail_message_id(mail)},
    )
    # Sent along with the mail service (django-anymail), so its status webhook finds the row.
    message.metadata = {"klantraat": reference}  # type: ignore[attr-defined]
    message.send()
    provider_id = getattr(getattr(message, "anymail_status", None), "message_id", None)
    return "" if provider_id is None else str(provider_id)


def _attempt_failed(mail: OutgoingMail, exc: Exception) -> None:
    attempts = mail.attempts
    if attempts >= MAX_ATTEMPTS:
        give_up(mail, str(exc))
    else:
        OutgoingMail.objects.filter(pk=mail.pk).update(
            claimed_at=None,
            claim="",
            last_error=str(exc)[:500],
            next_attempt_at=timezone.now() + backoff(attempts),
        )
    (logger.error if attempts >= MAX_ATTEMPTS else logger.warning)(
        "message %s attempt %s failed%s: %s",
        mail.pk,
        attempts,
        " for good" if attempts >= MAX_ATTEMPTS else "",
        exc,
    )


def give_up(mail: OutgoingMail, error: str) -> None:
    """No more attempts (a renderer may call it for a text that cannot be made)."""
    mail.status = MailStatus.FAILED
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, last_error=error[:500], claimed_at=None, claim=""
        )
        hooks = kind_of(mail.kind)
        if hooks and hooks.on_failed:
            hooks.on_failed(mail, error)
