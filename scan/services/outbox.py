"""Sending the outbox: each queued mail is handed to Celery after commit, claimed, sent at most
once, retried with back-off; a sweeper queues again what was lost."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..dispatch import task_delay
from ..mailtext import MailTextError
from ..models import (
    Delivery,
    MailStatus,
    OutgoingMail,
    Respondent,
    RespondentToken,
    RoundStatus,
    ScanRound,
)
from ..tokens import new_token, token_digest
from .delivery import address_undeliverable
from .mail_texts import TextSource, render_mail, respondent_link_url

logger = logging.getLogger("klantraat.scan")

MAX_ATTEMPTS = 5
# Wait before attempt 2, 3, 4, 5 (the sweeper picks a mail up once its time has come).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
PENDING_GRACE = dt.timedelta(minutes=2)
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# Stored, like SMTP errors, in the mail's last error (shown on the round page).
UNDELIVERABLE = "address bounced before; not mailed again until it is changed"


def backoff(attempts: int) -> dt.timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _publish_mail(mail_id: int) -> bool:
    """Hand one mail to the queue. With the broker down the row simply waits: the sweeper
    (mails_send_pending, run by beat) queues it again once the broker is back."""
    try:
        task_delay("scan.tasks.send_mail_task", mail_id)
    except Exception:  # kombu raises several types when the broker is unreachable
        logger.warning("broker unavailable; mail %s waits for the sweeper", mail_id, exc_info=True)
        return False
    return True


def mails_enqueue(mail_ids: list[int]) -> None:
    """Hand the queued mails to the queue once the transaction that wrote them commits."""

    def send():
        for mail_id in mail_ids:
            _publish_mail(mail_id)

    transaction.on_commit(send)


def _mail_seconds(name: str, default: dt.timedelta) -> dt.timedelta:
    """A mail timing from settings (seconds), read per call so a test worker can shorten it."""
    return dt.timedelta(seconds=getattr(settings, name, default.total_seconds()))


def mails_send_pending(now=None) -> int:
    """Queue again every mail that is due and not sent: its task was lost (broker down, worker
    killed before acknowledging) or its last attempt failed and its back-off has passed.
    Sending stays idempotent through the claim in mail_send. Mails of a round that is not
    open wait until it opens again (mail_send refuses them); failed mails wait for a person."""
    now = now or timezone.now()
    grace = _mail_seconds("KLANTRAAT_MAIL_PENDING_GRACE", PENDING_GRACE)
    claim_timeout = _mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
    pending = (
        OutgoingMail.objects.filter(
            status=MailStatus.QUEUED,
            sent_at__isnull=True,
            created_at__lte=now - grace,
        )
        .filter(Q(respondent__round__status=RoundStatus.OPEN) | Q(respondent__isnull=True))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(claimed_at__gt=now - claim_timeout)
    )
    return sum(_publish_mail(pk) for pk in pending.values_list("pk", flat=True))


def mail_message_id(mail: OutgoingMail) -> str:
    """The same Message-ID on every attempt, built from the row and the site's host (never the
    link token): should a crash fall between the SMTP hand-off and recording sent_at, the
    resend is the same message to mail clients, which show it once."""
    from urllib.parse import urlsplit

    host = urlsplit(settings.KLANTRAAT_BASE_URL).hostname or "klantraat.invalid"
    return f"<mail-{mail.pk}.{mail.created_at:%Y%m%d%H%M%S%f}@{host}>"


def mail_send(mail_id: int) -> bool:
    """Send one queued mail at most once. Returns True when this call sent it.

    The row is claimed in its own transaction before sending, so a retried or duplicated task
    sees the claim and stops; a claim older than CLAIM_TIMEOUT (a worker that died before
    sending) may be taken over. Every attempt sends the text and link written when the mail
    was queued. A failed attempt is retried after a back-off, at most MAX_ATTEMPTS times;
    then the mail is marked failed for a person to look at."""
    now = timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(of=("self",))
            .select_related("respondent__round__organisation", "respondent__group", "organisation")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.sent_at is not None or mail.status != MailStatus.QUEUED:
            return False
        claim_timeout = _mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
        if mail.claimed_at and now - mail.claimed_at < claim_timeout:
            return False
        respondent = mail.respondent
        organisation = mail.organisation
        if respondent is not None:
            scan_round = respondent.round
            organisation = scan_round.organisation
            if scan_round.status != RoundStatus.OPEN:
                mail.last_error = "round not open"
                mail.save(update_fields=["last_error"])
                return False
            if not mail.body:
                # A row written without its text (older rows): write text and link once, here.
                if not _prepare(mail, respondent, scan_round):
                    return False
        if address_undeliverable(mail.recipient):
            # Bounced hard or complained before: not mailed again until the address changes.
            mail.status, mail.last_error = MailStatus.FAILED, UNDELIVERABLE
            mail.delivery = Delivery.HARD_BOUNCE
            mail.save(update_fields=["status", "last_error", "delivery"])
            return False
        mail.claimed_at = now
        mail.attempts += 1
        mail.save(update_fields=["claimed_at", "attempts"])
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        to=[mail.recipient],
        # Replies reach a person at the corporation, not the no-reply sender.
        reply_to=[organisation.reply_to] if organisation and organisation.reply_to else None,
        headers={"Message-ID": mail_message_id(mail)},
    )
    # Sent along with the mail service (django-anymail), so its status webhook finds the row.
    message.metadata = {"klantraat": f"mail-{mail.pk}"}  # type: ignore[attr-defined]
    try:
        message.send()
    except Exception as exc:  # SMTP and connection errors of every kind
        failed = mail.attempts >= MAX_ATTEMPTS
        OutgoingMail.objects.filter(pk=mail.pk).update(
            claimed_at=None,
            last_error=str(exc)[:500],
            status=MailStatus.FAILED if failed else MailStatus.QUEUED,
            next_attempt_at=None if failed else timezone.now() + backoff(mail.attempts),
        )
        (logger.error if failed else logger.warning)(
            "mail %s attempt %s failed%s: %s",
            mail.pk,
            mail.attempts,
            " for good" if failed else "",
            exc,
        )
        return False
    provider_id = getattr(getattr(message, "anymail_status", None), "message_id", None)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(),
        status=MailStatus.SENT,
        last_error="",
        provider_message_id="" if provider_id is None else str(provider_id)[:255],
    )
    return True


def _prepare(mail: OutgoingMail, respondent: Respondent, scan_round: ScanRound) -> bool:
    token = new_token()
    try:
        mail.subject, mail.body = render_mail(
            source=TextSource(scan_round.organisation, mail.kind),
            respondent=respondent,
            scan_round=scan_round,
            link=respondent_link_url(token),
        )
    except MailTextError as exc:
        logger.error("mail text failed mail=%s: %s", mail.pk, exc)
        mail.status, mail.last_error = MailStatus.FAILED, str(exc)
        mail.save(update_fields=["status", "last_error"])
        return False
    mail.token = RespondentToken.objects.create(
        respondent=respondent, token_hash=token_digest(token)
    )
    mail.save(update_fields=["subject", "body", "token"])
    return True
