"""A respondent's mail in the one outbox (core): the scan registers its kinds there, so the
outbox claims a respondent's mail only while the round is open, makes the respondent's live
link as the mail leaves, and blocks the respondent's address when it bounces."""

from __future__ import annotations

import logging

from django.db.models import Q

from core.models import OutgoingMail
from core.models.outbox import LINK_MARK
from core.outbox import Rendered, give_up, register
from core.tokens import derived_token, new_nonce, token_digest

from ..mailtext import MailTextError
from ..models import MailKind, Respondent, RespondentMail, RespondentToken, RoundStatus
from .mail_texts import TextSource, render_mail, respondent_link_url

logger = logging.getLogger("klantraat.scan")

RESPONDENT_LINK = "respondent-link"


def respondent_token(nonce: str) -> str:
    return derived_token(RESPONDENT_LINK, nonce)


def respondent_link_new(respondent) -> tuple[str, RespondentToken]:
    """A nonce for a mail and the (unsaved) hashed link it stands for."""
    nonce = new_nonce()
    link = RespondentToken(respondent=respondent, token_hash=token_digest(respondent_token(nonce)))
    return nonce, link


def _respondent_of(mail: OutgoingMail) -> RespondentMail | None:
    try:
        return mail.respondent_mail
    except RespondentMail.DoesNotExist:
        return None


def respondent_mails_render(rows: list[OutgoingMail]) -> dict[int, Rendered | None]:
    return {mail.pk: _respondent_mail(mail) for mail in rows}


def _respondent_mail(mail: OutgoingMail) -> Rendered | None:
    part = _respondent_of(mail)
    if part is None:
        return None
    respondent = part.respondent
    if not mail.body and not _prepare(mail, part):
        return None
    organisation = respondent.round.organisation
    link = respondent_link_url(respondent_token(mail.link_nonce)) if mail.link_nonce else ""
    return Rendered(
        to=respondent.email,
        subject=mail.subject,
        body=mail.body.replace(LINK_MARK, link),
        # Replies reach a person at the corporation, not the no-reply sender.
        reply_to=[organisation.reply_to] if organisation.reply_to else [],
    )


def _prepare(mail: OutgoingMail, part: RespondentMail) -> bool:
    """A respondent's row written without its text (older rows): text and link once, here."""
    respondent: Respondent = part.respondent
    try:
        mail.subject, mail.body = render_mail(
            source=TextSource(respondent.round.organisation, mail.kind),
            respondent=respondent,
            scan_round=respondent.round,
            link=LINK_MARK,
        )
    except MailTextError as exc:
        logger.error("mail text failed mail=%s: %s", mail.pk, exc)
        give_up(mail, str(exc))
        return False
    mail.link_nonce, link = respondent_link_new(respondent)
    link.save()
    mail.save(update_fields=["subject", "body", "link_nonce"])
    RespondentMail.objects.filter(pk=mail.pk).update(token=link)
    return True


def _address(mail: OutgoingMail) -> str:
    part = _respondent_of(mail)
    return part.respondent.email if part is not None else mail.recipient


def register_respondent_kinds() -> None:
    """Called from ScanConfig.ready()."""
    for kind in (MailKind.INVITATION, MailKind.REMINDER, MailKind.NEW_LINK):
        register(
            kind,
            render=respondent_mails_render,
            # A respondent's mail waits while its round is not open (it goes once it opens).
            ready=Q(respondent_mail__respondent__round__status=RoundStatus.OPEN),
            related=(
                "respondent_mail__respondent__round__organisation",
                "respondent_mail__respondent__group",
            ),
            address=_address,
        )
