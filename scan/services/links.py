"""Personal and open respondent links: issuing, revoking, resolving a token."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tokens import looks_like_token, new_token, token_digest

from ..errors import ScanError
from ..models import (
    OpenLink,
    Respondent,
    RespondentGroup,
    RespondentToken,
    RoundStatus,
    ScanRound,
)

security_log = logging.getLogger("klantraat.security")

# --- respondents and links --------------------------------------------------------------------


def respondent_issue_link(respondent: Respondent) -> str:
    """A new personal link; returns the token (shown or mailed once, never stored)."""
    token = new_token()
    RespondentToken.objects.create(respondent=respondent, token_hash=token_digest(token))
    return token


@transaction.atomic
def respondent_revoke_links(*, respondent: Respondent, user=None) -> int:
    count = respondent.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    security_log.info(
        "links revoked respondent=%s count=%s by=%s",
        respondent.pk,
        count,
        getattr(user, "pk", None),
    )
    from core.audit import audit

    audit(
        "link_revoked",
        organisation=respondent.round.organisation,
        actor=user,
        respondent=respondent.pk,
        links=count,
    )
    return count


class LinkProblem(Exception):
    """Why a link cannot be used; ``reason`` picks the message shown to the respondent."""

    def __init__(self, reason: str, scan_round: ScanRound | None = None):
        self.reason = reason
        self.scan_round = scan_round
        super().__init__(reason)


def respondent_for_token(token: str) -> Respondent:
    if not looks_like_token(token):
        raise LinkProblem("unknown")
    links = (
        RespondentToken.objects.select_related(
            "respondent__round__organisation",
            "respondent__round__model_version",
            "respondent__group",
        )
        # The model's checksum comes along; its document is parsed once per process.
        .defer("respondent__round__model_version__document")
        .filter(token_hash=token_digest(token))
    )
    try:
        link = links.get()  # unique hash: no ORDER BY needed, unlike first()
    except RespondentToken.DoesNotExist:
        raise LinkProblem("unknown") from None
    respondent = link.respondent
    if link.revoked_at is not None:
        raise LinkProblem("revoked", respondent.round)
    check_round_accepts_answers(respondent.round)
    return respondent


def check_round_accepts_answers(scan_round: ScanRound) -> None:
    if scan_round.status == RoundStatus.DRAFT or timezone.localdate() < scan_round.opens_on:
        raise LinkProblem("not_open", scan_round)
    if (
        scan_round.status == RoundStatus.CLOSED
        or scan_round.signed_at is not None
        or timezone.now() > scan_round.closes_at
    ):
        raise LinkProblem("closed", scan_round)


OPEN_LINK_AFTER_ROUND = gettext_lazy("An open link cannot stay open after the round closes.")
OPEN_LINK_IN_PAST = gettext_lazy("Choose today or a later date.")


@transaction.atomic
def open_link_create(
    *, scan_round: ScanRound, group: RespondentGroup, cap: int, closes_on: dt.date, user=None
) -> tuple[OpenLink, str]:
    """A new open link; returns it with its token (shown once, only the hash is stored).
    Problems name the field they concern."""
    if group.round_id != scan_round.pk:
        raise ScanError({"group": _("That group does not belong to this round.")})
    if closes_on > scan_round.closes_on:
        raise ScanError({"closes_on": OPEN_LINK_AFTER_ROUND})
    if closes_on < timezone.localdate():
        raise ScanError({"closes_on": OPEN_LINK_IN_PAST})
    token = new_token()
    link = OpenLink(
        round=scan_round, group=group, cap=cap, closes_on=closes_on, token_hash=token_digest(token)
    )
    link.full_clean()
    link.save()
    from core.audit import audit

    audit(
        "open_link_created",
        organisation=scan_round.organisation,
        actor=user,
        round=scan_round.pk,
        link=link.pk,
        group=group.name,
        cap=cap,
    )
    return link, token


@transaction.atomic
def open_link_revoke(*, link: OpenLink, user=None) -> OpenLink:
    """Nobody new can join; those who already joined keep their personal links."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        from core.audit import audit

        audit(
            "open_link_revoked",
            organisation=link.round.organisation,
            actor=user,
            round=link.round_id,
            link=link.pk,
            group=link.group.name,
        )
    return link


def open_link_for_token(token: str) -> OpenLink:
    """The live open link of a token (for its QR code); LinkProblem otherwise."""
    if not looks_like_token(token):
        raise LinkProblem("unknown")
    link = OpenLink.objects.select_related("round").filter(token_hash=token_digest(token)).first()
    if link is None:
        raise LinkProblem("unknown")
    if link.revoked_at is not None:
        raise LinkProblem("revoked", link.round)
    return link


def open_link_resume(token: str, personal: str) -> Respondent | None:
    """The respondent this browser started as through the open link ``token``, when their
    personal link ``personal`` still works and they have not submitted yet (then the next
    person on a shared device starts afresh); None otherwise."""
    try:
        respondent = respondent_for_token(personal)
    except LinkProblem:
        return None
    link = respondent.open_link
    if link is None or link.token_hash != token_digest(token) or respondent.submitted_at:
        return None
    return respondent


@transaction.atomic
def open_link_join(token: str) -> tuple[Respondent, str]:
    """An anonymous visitor of an open link becomes a respondent with a personal link, so they
    too can stop and resume."""
    if not looks_like_token(token):
        raise LinkProblem("unknown")
    link = (
        OpenLink.objects.select_for_update()
        .select_related("round")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if link is None:
        raise LinkProblem("unknown")
    if link.revoked_at is not None:
        raise LinkProblem("revoked", link.round)
    check_round_accepts_answers(link.round)
    if timezone.localdate() > link.closes_on:
        raise LinkProblem("closed", link.round)
    if link.respondents.count() >= link.cap:
        raise LinkProblem("full", link.round)
    respondent = Respondent.objects.create(round=link.round, group=link.group, open_link=link)
    return respondent, respondent_issue_link(respondent)
