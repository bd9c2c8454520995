"""The card left after a visit: an open (not personal) survey link per customer moment, shown as
a QR code. One link per moment is in force; a new one replaces it and revoking it makes printed
cards stop working. Answers through a card have no contact details, so never a call-back."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.tokens import looks_like_token, token_digest

from .. import aggregates
from ..links import link_hash, new_nonce
from ..models import CardLink, CustomerMoment, PulseResponse
from .responses import LINK_UNKNOWN, SurveyLinkProblem, check_answers

LINK_REVOKED = "revoked"


def card_link_active(moment: CustomerMoment) -> CardLink | None:
    return moment.card_links.filter(revoked_at__isnull=True).order_by("-created_at").first()


@transaction.atomic
def card_link_create(*, moment: CustomerMoment, user=None) -> CardLink:
    """A fresh link for the moment's card; the one before stops working."""
    CustomerMoment.objects.select_for_update().filter(pk=moment.pk).first()
    moment.card_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    nonce = new_nonce()
    return CardLink.objects.create(
        moment=moment,
        link_nonce=nonce,
        token_hash=link_hash(nonce),
        created_by=user if getattr(user, "pk", None) else None,
    )


def card_link_revoke(*, moment: CustomerMoment) -> int:
    return moment.card_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def card_for_token(token: str) -> CardLink:
    if not looks_like_token(token):
        raise SurveyLinkProblem(LINK_UNKNOWN)
    card = (
        CardLink.objects.select_related("moment__organisation")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if card is None:
        raise SurveyLinkProblem(LINK_UNKNOWN)
    if card.revoked_at is not None or not card.moment.active:
        raise SurveyLinkProblem(LINK_REVOKED)
    return card


def card_response_submit(
    *,
    token: str,
    grade: int,
    drivers: dict[str, bool | None],
    effort: int | None,
    open_answer: str,
) -> PulseResponse:
    """A response from a card: moment and month only (no partner, area or contact)."""
    card = card_for_token(token)
    moment = card.moment
    questionnaire = moment.questionnaires.order_by("-number").first()
    if questionnaire is None:
        raise SurveyLinkProblem(LINK_UNKNOWN)
    check_answers(
        questionnaire.document, grade=grade, drivers=drivers, effort=effort, open_answer=open_answer
    )
    return aggregates.response_add(
        organisation=moment.organisation,
        moment=moment,
        questionnaire=questionnaire,
        month=timezone.localdate().replace(day=1),
        grade=grade,
        drivers={k: v for k, v in drivers.items() if v is not None},
        effort=effort,
        open_answer=(open_answer or "").strip(),
    )
