"""Queueing mail to respondents: invitations, reminders and new links, each written once with
its text and its own new link; failed mails retried on request."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import MailStatus, OutgoingMail
from core.models.outbox import LINK_MARK
from core.outbox import mails_enqueue, undeliverable_among

from ..errors import ScanError
from ..mailtext import MailTextError
from ..models import (
    MailKind,
    Respondent,
    RespondentGroup,
    RespondentMail,
    RespondentToken,
    RoundStatus,
    ScanRound,
)
from .mail_texts import TextSource, render_mail
from .respondent_mail import respondent_link_new

logger = logging.getLogger("klantraat.scan")

NO_EMAIL = gettext_lazy("This respondent has no e-mail address: a new link cannot be mailed.")
REMINDER_INTERVAL = dt.timedelta(hours=20)


def _queue(*, scan_round: ScanRound, kind: str, items: Sequence[tuple[Respondent, int]]) -> int:
    """Write one mail per (respondent, sequence) with its text and its own new link, in a
    bounded number of queries: the texts are loaded once, links and mails are bulk inserts.
    The text holds LINK_MARK and the row a nonce: the link is made from it when sent.
    A text that cannot be rendered gives failed mails with the reason (shown on the round
    page and logged), never a silent skip."""
    if not items:
        return 0
    source = TextSource(scan_round.organisation, kind)
    now = timezone.now()
    links, mails, parts = [], [], []
    for respondent, sequence in items:
        mail = OutgoingMail(kind=kind)
        part = RespondentMail(respondent=respondent, kind=kind, sequence=sequence)
        try:
            mail.subject, mail.body = render_mail(
                source=source, respondent=respondent, scan_round=scan_round, link=LINK_MARK
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
            mail.link_nonce, link = respondent_link_new(respondent)
            links.append(link)
            part.token = link
            mail.next_attempt_at = now
        mails.append(mail)
        parts.append(part)
    RespondentToken.objects.bulk_create(links)
    OutgoingMail.objects.bulk_create(mails)
    for mail, part in zip(mails, parts, strict=True):
        part.message = mail
        if part.token is not None:
            part.token_id = part.token.pk
    # The unique (respondent, kind, sequence) rule holds here, in the same transaction.
    RespondentMail.objects.bulk_create(parts)
    mails_enqueue([m.pk for m in mails if m.status == MailStatus.QUEUED])
    return sum(m.status == MailStatus.QUEUED for m in mails)


@transaction.atomic
def invitations_queue(*, scan_round: ScanRound, respondents=None, user=None) -> int:
    """Queue one invitation per respondent that has none; calling it again queues nothing new.
    The link is made here, once per invitation: its hash in RespondentToken, its nonce in the
    mail row (the link itself only in the mail as it leaves)."""
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
    from core.audit import audit

    audit(kind, organisation=scan_round.organisation, actor=user, round=scan_round.pk, **detail)


@transaction.atomic
def reminders_queue(
    *, scan_round: ScanRound, group: RespondentGroup | None = None, respondents=None, user=None
) -> int:
    """Remind invited respondents who have not submitted (of ``group``, or of the given
    respondents); at most one reminder per respondent per day, so a double click sends
    nothing twice."""
    if not scan_round.is_open:
        raise ScanError(_("Reminders can only be sent while the round is open."))
    invited = RespondentMail.objects.filter(respondent=OuterRef("pk"), kind=MailKind.INVITATION)
    reminders = RespondentMail.objects.filter(
        respondent=OuterRef("pk"), kind=MailKind.REMINDER
    ).order_by("-sequence")
    qs = (
        scan_round.respondents.filter(Exists(invited), submitted_at__isnull=True)
        .exclude(email="")
        .select_related("group")
        .annotate(
            last_sequence=Subquery(reminders.values("sequence")[:1]),
            last_at=Subquery(reminders.values("message__created_at")[:1]),
        )
    )
    if group is not None:
        qs = qs.filter(group=group)
    if respondents is not None:
        qs = qs.filter(pk__in=respondents.values("pk"))
    cutoff = timezone.now() - REMINDER_INTERVAL
    candidates = list(qs)
    # An address that bounced hard or complained is not reminded (until it is changed).
    bounced = undeliverable_among(r.email for r in candidates)
    items = [
        (r, (r.last_sequence or 0) + 1)
        for r in candidates
        if not (r.last_at and r.last_at > cutoff) and r.email not in bounced
    ]
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
            respondent_mail__respondent__round=scan_round, status=MailStatus.FAILED
        ).select_related("respondent_mail__respondent__group")
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
    mails_enqueue([m.pk for m in ready])
    by_kind: dict[str, list[tuple[Respondent, int]]] = {}
    for mail in unrendered:
        part = mail.respondent_mail  # a respondent's mail, the only kind this retries
        by_kind.setdefault(mail.kind, []).append((part.respondent, part.sequence))
    OutgoingMail.objects.filter(pk__in=[m.pk for m in unrendered]).delete()
    requeued = sum(
        _queue(scan_round=scan_round, kind=kind, items=items) for kind, items in by_kind.items()
    )
    return len(ready) + requeued
