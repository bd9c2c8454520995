"""The one outbox for every message Klantraat sends (mail and SMS): written in the caller's
transaction, handed to a worker task on the ``mail`` queue after commit, claimed in batches,
sent at most once, retried with back-off; a sweeper queues again what was lost, and a
retention task clears the texts of sent messages.

Apps enqueue through ``message_enqueue`` (one message) or ``messages_enqueue`` (many);
sending lives in ``core.outbox.send``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..dispatch import task_delay
from ..models import MailStatus, MessageChannel, OutgoingMail
from .kinds import claimable

logger = logging.getLogger("klantraat.outbox")

MAX_ATTEMPTS = 5
# Wait before attempt 2, 3, 4, 5 (the sweeper picks a message up once its time has come).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
PENDING_GRACE = dt.timedelta(minutes=2)
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# Messages per sending task: one claim (one UPDATE) per batch.
BATCH = 100
SEND_TASK = "core.tasks.send_outbox_batch"
# Stored, like SMTP errors, in the mail's last error (shown on the round page).
UNDELIVERABLE = "address bounced before; not mailed again until it is changed"


def backoff(attempts: int) -> dt.timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def mail_seconds(name: str, default: dt.timedelta) -> dt.timedelta:
    """A timing from settings (seconds), read per call so a test worker can shorten it."""
    return dt.timedelta(seconds=getattr(settings, name, default.total_seconds()))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    size = getattr(settings, "KLANTRAAT_OUTBOX_BATCH", BATCH)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _publish(mail_ids: list[int]) -> bool:
    """Hand one batch to the queue. With the broker down the rows simply wait: the sweeper
    (mails_send_pending, run by beat) queues them again once the broker is back."""
    try:
        task_delay(SEND_TASK, mail_ids)
    except Exception:  # kombu raises several types when the broker is unreachable
        logger.warning(
            "broker unavailable; %s messages wait for the sweeper", len(mail_ids), exc_info=True
        )
        return False
    return True


def mails_enqueue(mail_ids: list[int]) -> None:
    """Send these rows after the current transaction commits (nothing, should it roll back)."""
    ids = list(mail_ids)
    if ids:
        transaction.on_commit(lambda: [_publish(chunk) for chunk in _chunks(ids)])


def message_enqueue(
    *,
    kind: str,
    to: str = "",
    subject: str = "",
    body: str = "",
    channel: str = MessageChannel.EMAIL,
    ref_id: int | None = None,
    key: str | None = None,
    reply_to: str = "",
) -> OutgoingMail | None:
    """Queue one message in the caller's transaction; it is sent after commit. ``to`` is the
    address (or phone number for ``channel="sms"``), unless the kind's renderer finds it at
    send time from ``ref_id``. ``reply_to``: where replies go. A ``key`` makes the message once:
    a second call with the same key queues nothing and returns None. ``body`` never holds a
    live link: write LINK_MARK where it goes and register a renderer for the kind
    (core.outbox.register)."""
    made = messages_enqueue(
        [
            OutgoingMail(
                kind=kind,
                recipient=to,
                reply_to=reply_to,
                subject=subject[:300],
                body=body,
                channel=channel,
                ref_id=ref_id,
                key=key,
            )
        ]
    )
    return made[0] if made else None


def messages_enqueue(mails: list[OutgoingMail]) -> list[OutgoingMail]:
    """Queue unsaved rows in one insert; rows whose key is already in the outbox are left out.
    Returns the rows written."""
    keys = [m.key for m in mails if m.key]
    if keys:
        taken = set(OutgoingMail.objects.filter(key__in=keys).values_list("key", flat=True))
        mails = [m for m in mails if not m.key or m.key not in taken]
    now = timezone.now()
    for mail in mails:
        if mail.next_attempt_at is None:
            mail.next_attempt_at = now
    with transaction.atomic():
        made = OutgoingMail.objects.bulk_create(mails)
        mails_enqueue([m.pk for m in made if m.status == MailStatus.QUEUED])
    return made


def due_mails(now=None):
    """Messages that should be sent now: queued, their back-off passed, not held by a live
    claim; and ready as its kind says (a respondent's mail only while its round is open: it
    waits until it opens again)."""
    now = now or timezone.now()
    claim_timeout = mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
    return (
        OutgoingMail.objects.filter(status=MailStatus.QUEUED, sent_at__isnull=True)
        .filter(claimable())
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - claim_timeout))
    )


def mails_send_pending(now=None) -> int:
    """The sweeper (beat): queue again every message that is due and not sent — its task was
    lost (broker down, worker killed before acknowledging), its claim went stale, or its last
    attempt failed and its back-off has passed. Sending stays once-only through the claim.
    Returns how many messages were handed to the queue."""
    now = now or timezone.now()
    grace = mail_seconds("KLANTRAAT_MAIL_PENDING_GRACE", PENDING_GRACE)
    # A fresh row's own task is on its way; one that has waited past the grace is picked up.
    pending = due_mails(now).filter(created_at__lte=now - grace).order_by("pk")
    ids = list(pending.values_list("pk", flat=True))
    return sum(len(chunk) for chunk in _chunks(ids) if _publish(chunk))


def mail_message_id(mail: OutgoingMail) -> str:
    """The same Message-ID on every attempt, built from the row and the site's host (never a
    link token): should a crash fall between the hand-off to the mail server and recording
    sent_at, the resend is the same message to mail clients, which show it once."""
    from urllib.parse import urlsplit

    host = urlsplit(settings.KLANTRAAT_BASE_URL).hostname or "klantraat.invalid"
    return f"<mail-{mail.pk}.{mail.created_at:%Y%m%d%H%M%S%f}@{host}>"


def sent_bodies_clear(now=None) -> int:
    """Retention: the text and address of a message sent more than
    KLANTRAAT_OUTBOX_RETENTION_DAYS ago are cleared; the row stays as the record that it went
    out (kind, times, delivery state)."""
    now = now or timezone.now()
    days = getattr(settings, "KLANTRAAT_OUTBOX_RETENTION_DAYS", 30)
    return (
        OutgoingMail.objects.filter(status=MailStatus.SENT, sent_at__lte=now - dt.timedelta(days))
        .exclude(body="", subject="", recipient="")
        .update(body="", subject="", recipient="", link_nonce="")
    )


__all__ = [
    "BATCH",
    "MAX_ATTEMPTS",
    "UNDELIVERABLE",
    "backoff",
    "due_mails",
    "mail_message_id",
    "mails_enqueue",
    "mails_send_pending",
    "message_enqueue",
    "messages_enqueue",
    "sent_bodies_clear",
]
