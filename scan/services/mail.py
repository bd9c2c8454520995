"""Invitations and reminders: queuing, the sweeper, sending each mail at most once."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from ..dispatch import task_delay
from ..errors import ScanError
from ..mail_defaults import default_text, nameless
from ..mailtext import MailTextError, render_text
from ..models import (
    MailKind,
    MailStatus,
    MailTemplate,
    OutgoingMail,
    Respondent,
    RespondentGroup,
    RespondentToken,
    RoundStatus,
    ScanRound,
)
from ..tokens import new_token, token_digest

logger = logging.getLogger("klantraat.scan")

# --- mail ---------------------------------------------------------------------------------


MAX_ATTEMPTS = 5
# Wait before attempt 2, 3, 4, 5 (the sweeper picks a mail up once its time has come).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
TEMPLATE_FAILED = _lazy("The mail text '%(template)s' cannot be used: %(error)s")
NO_EMAIL = _lazy("This respondent has no e-mail address: a new link cannot be mailed.")


def backoff(attempts: int) -> dt.timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


class TextSource:
    """The texts for one organisation and kind, loaded once: the most specific template wins
    (organisation + group, organisation, default + group, default), else the built-in text."""

    def __init__(self, organisation, kind: str):
        self.kind = kind
        self.templates = {
            (t.organisation_id is not None, t.group_kind, t.language): t
            for t in MailTemplate.objects.filter(
                Q(organisation=organisation) | Q(organisation__isnull=True), kind=kind
            )
        }

    def text(self, group_kind: str, language: str) -> tuple[str, str, str]:
        """(subject, body, name of the text for messages)."""
        for key in (
            (True, group_kind, language),
            (True, "", language),
            (False, group_kind, language),
            (False, "", language),
        ):
            template = self.templates.get(key)
            if template is not None:
                return template.subject, template.body, str(template)
        subject, body = default_text(self.kind, group_kind, language)
        return subject, body, "built-in"


def mail_context(*, respondent: Respondent, scan_round: ScanRound, link: str, language: str):
    group_kind = respondent.group.kind if respondent.group_id else ""
    return {
        "name": respondent.name or nameless(group_kind, language),
        "organisation": scan_round.organisation.name,
        "round": scan_round.title,
        "link": link,
        "opens_on": _date_in(scan_round.opens_on, language),
        "closes_on": _date_in(scan_round.closes_on, language),
        "threshold": str(scan_round.min_group_size),
    }


def render_mail(
    *, source: TextSource, respondent: Respondent, scan_round: ScanRound, link: str
) -> tuple[str, str]:
    """Subject and body for one respondent; raises MailTextError naming the text."""
    language = respondent.language if respondent.language in ("nl", "en") else "nl"
    group_kind = respondent.group.kind if respondent.group_id else ""
    subject, body, name = source.text(group_kind, language)
    context = mail_context(
        respondent=respondent, scan_round=scan_round, link=link, language=language
    )
    try:
        return render_text(subject, context).replace("\n", " "), render_text(body, context)
    except MailTextError as exc:
        raise MailTextError(str(TEMPLATE_FAILED % {"template": name, "error": exc})) from exc


def respondent_link_url(token: str) -> str:
    from django.urls import reverse

    return settings.KLANTRAAT_BASE_URL + reverse("scan:respond", kwargs={"token": token})


def _publish_mail(mail_id: int) -> bool:
    """Hand one mail to the queue. With the broker down the row simply waits: the sweeper
    (mails_send_pending, run by beat) queues it again once the broker is back."""
    try:
        task_delay("scan.tasks.send_mail_task", mail_id)
    except Exception:  # kombu raises several types when the broker is unreachable
        logger.warning("broker unavailable; mail %s waits for the sweeper", mail_id, exc_info=True)
        return False
    return True


def _enqueue_mails(mail_ids: list[int]) -> None:
    def send():
        for mail_id in mail_ids:
            _publish_mail(mail_id)

    transaction.on_commit(send)


PENDING_GRACE = dt.timedelta(minutes=2)


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
            respondent__round__status=RoundStatus.OPEN,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(claimed_at__gt=now - claim_timeout)
    )
    return sum(_publish_mail(pk) for pk in pending.values_list("pk", flat=True))


def _queue(*, scan_round: ScanRound, kind: str, items: list[tuple[Respondent, int]]) -> int:
    """Write one mail per (respondent, sequence) with its text and its own new link, in a
    bounded number of queries: the texts are loaded once, links and mails are bulk inserts.
    A text that cannot be rendered gives failed mails with the reason (shown on the round
    page and logged), never a silent skip."""
    if not items:
        return 0
    source = TextSource(scan_round.organisation, kind)
    now = timezone.now()
    links, mails = [], []
    for respondent, sequence in items:
        token = new_token()
        mail = OutgoingMail(respondent=respondent, kind=kind, sequence=sequence)
        try:
            mail.subject, mail.body = render_mail(
                source=source,
                respondent=respondent,
                scan_round=scan_round,
                link=respondent_link_url(token),
            )
        except MailTextError as exc:
            mail.status, mail.last_error = MailStatus.FAILED, str(exc)
            logger.error(
                "mail text failed round=%s respondent=%s kind=%s: %s",
                scan_round.pk,
                respondent.pk,
                kind,
                exc,
            )
        else:
            link = RespondentToken(respondent=respondent, token_hash=token_digest(token))
            links.append(link)
            mail.token = link
            mail.next_attempt_at = now
        mails.append(mail)
    RespondentToken.objects.bulk_create(links)
    for mail in mails:
        if mail.token is not None:
            mail.token_id = mail.token.pk
    OutgoingMail.objects.bulk_create(mails)
    _enqueue_mails([m.pk for m in mails if m.status == MailStatus.QUEUED])
    return sum(m.status == MailStatus.QUEUED for m in mails)


@transaction.atomic
def invitations_queue(*, scan_round: ScanRound, respondents=None, user=None) -> int:
    """Queue one invitation per respondent that has none; calling it again queues nothing new.
    The link is made here, once per invitation, and travels in the mail row."""
    if scan_round.status != RoundStatus.OPEN:
        raise ScanError(_("Open the round before sending invitations."))
    qs = (respondents if respondents is not None else scan_round.respondents.all()).exclude(
        email=""
    )
    qs = qs.exclude(mails__kind=MailKind.INVITATION).select_related("group")
    count = _queue(scan_round=scan_round, kind=MailKind.INVITATION, items=[(r, 1) for r in qs])
    if count:
        _audit_queued("invitations_queued", scan_round, user, count=count)
    return count


def _audit_queued(kind: str, scan_round: ScanRound, user, **detail) -> None:
    from ..audit import audit

    audit(kind, organisation=scan_round.organisation, actor=user, round=scan_round.pk, **detail)


REMINDER_INTERVAL = dt.timedelta(hours=20)


@transaction.atomic
def reminders_queue(
    *, scan_round: ScanRound, group: RespondentGroup | None = None, user=None
) -> int:
    """Remind invited respondents who have not submitted; at most one reminder per respondent
    per day, so a double click sends nothing twice."""
    if not scan_round.is_open:
        raise ScanError(_("Reminders can only be sent while the round is open."))
    invited = OutgoingMail.objects.filter(respondent=OuterRef("pk"), kind=MailKind.INVITATION)
    reminders = OutgoingMail.objects.filter(
        respondent=OuterRef("pk"), kind=MailKind.REMINDER
    ).order_by("-sequence")
    qs = (
        scan_round.respondents.filter(Exists(invited), submitted_at__isnull=True)
        .exclude(email="")
        .select_related("group")
        .annotate(
            last_sequence=Subquery(reminders.values("sequence")[:1]),
            last_at=Subquery(reminders.values("created_at")[:1]),
        )
    )
    if group is not None:
        qs = qs.filter(group=group)
    cutoff = timezone.now() - REMINDER_INTERVAL
    items = [(r, (r.last_sequence or 0) + 1) for r in qs if not (r.last_at and r.last_at > cutoff)]
    count = _queue(scan_round=scan_round, kind=MailKind.REMINDER, items=items)
    if count:
        extra = {"group": group.name} if group is not None else {}
        _audit_queued("reminders_queued", scan_round, user, count=count, **extra)
    return count


@transaction.atomic
def respondent_reissue_link(*, respondent: Respondent, user=None) -> int:
    """Revoke the respondent's links and mail them a new one. Staff never see the new link:
    it exists only in the mail to the respondent. Returns the number of mails queued."""
    from .links import respondent_revoke_links

    if not respondent.email:
        raise ScanError(NO_EMAIL)
    respondent_revoke_links(respondent=respondent, user=user)
    last = respondent.mails.filter(kind=MailKind.NEW_LINK).aggregate(n=Max("sequence"))["n"]
    return _queue(
        scan_round=respondent.round,
        kind=MailKind.NEW_LINK,
        items=[(respondent, (last or 0) + 1)],
    )


@transaction.atomic
def mails_retry_failed(*, scan_round: ScanRound) -> int:
    """Give failed mails of the round a fresh set of attempts. A mail whose text could not be
    rendered is rendered again (the template may have been fixed); it never had a link."""
    failed = list(
        OutgoingMail.objects.filter(
            respondent__round=scan_round, status=MailStatus.FAILED
        ).select_related("respondent__group")
    )
    unrendered = [m for m in failed if not m.body]
    ready = [m for m in failed if m.body]
    OutgoingMail.objects.filter(pk__in=[m.pk for m in ready]).update(
        status=MailStatus.QUEUED,
        attempts=0,
        claimed_at=None,
        next_attempt_at=timezone.now(),
        last_error="",
    )
    _enqueue_mails([m.pk for m in ready])
    by_kind: dict[str, list[tuple[Respondent, int]]] = {}
    for mail in unrendered:
        by_kind.setdefault(mail.kind, []).append((mail.respondent, mail.sequence))
    OutgoingMail.objects.filter(pk__in=[m.pk for m in unrendered]).delete()
    requeued = sum(
        _queue(scan_round=scan_round, kind=kind, items=items) for kind, items in by_kind.items()
    )
    return len(ready) + requeued


CLAIM_TIMEOUT = dt.timedelta(minutes=10)


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
            OutgoingMail.objects.select_for_update()
            .select_related("respondent__round__organisation", "respondent__group")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.sent_at is not None or mail.status != MailStatus.QUEUED:
            return False
        claim_timeout = _mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
        if mail.claimed_at and now - mail.claimed_at < claim_timeout:
            return False
        respondent = mail.respondent
        scan_round = respondent.round
        if scan_round.status != RoundStatus.OPEN:
            mail.last_error = "round not open"
            mail.save(update_fields=["last_error"])
            return False
        if not mail.body:
            # A row written without its text (older rows): write text and link once, here.
            if not _prepare(mail, respondent, scan_round):
                return False
        mail.claimed_at = now
        mail.attempts += 1
        mail.save(update_fields=["claimed_at", "attempts"])
    try:
        EmailMultiAlternatives(
            subject=mail.subject,
            body=mail.body,
            to=[respondent.email],
            headers={"Message-ID": mail_message_id(mail)},
        ).send()
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
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), status=MailStatus.SENT, last_error=""
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


def _date_in(value: dt.date, language: str) -> str:
    """A date as the mail's reader writes it: "23 november 2026" or "Nov. 23, 2026"."""
    with override(language):
        return date_format(value, "DATE_FORMAT")
