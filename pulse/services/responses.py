"""A tenant answers once through the survey link; a low grade with consent becomes a call-back."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tokens import looks_like_token, token_digest

from .. import aggregates
from ..models import CallBack, InvitationStatus, PulseInvitation, PulseResponse
from .call_backs import call_back_notify_new
from .events import PulseError

CALL_BACK_DAYS = 5
OPEN_ANSWER_MAX = 2000

LINK_UNKNOWN = "unknown"
LINK_EXPIRED = "expired"
LINK_USED = "used"


class SurveyLinkProblem(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def survey_for_token(token: str, *, for_update: bool = False) -> PulseInvitation:
    if not looks_like_token(token):
        raise SurveyLinkProblem(LINK_UNKNOWN)
    invitations = PulseInvitation.objects.select_related(
        "event__moment", "event__organisation", "event__partner", "event__contact"
    )
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_digest(token)).first()
    if invitation is None:
        raise SurveyLinkProblem(LINK_UNKNOWN)
    if invitation.status == InvitationStatus.ANSWERED:
        raise SurveyLinkProblem(LINK_USED)
    if invitation.expires_at <= timezone.now() or invitation.status == InvitationStatus.EXPIRED:
        raise SurveyLinkProblem(LINK_EXPIRED)
    return invitation


def check_answers(
    document: dict,
    *,
    grade: int,
    drivers: dict[str, bool | None],
    effort: int | None,
    open_answer: str,
) -> None:
    """Raise PulseError naming every problem with a set of answers to this questionnaire."""
    known = {d["code"] for d in document["drivers"]}
    problems = []
    if not isinstance(grade, int) or not 1 <= grade <= 10:
        problems.append(_("The grade must be a whole number from 1 to 10."))
    if effort is not None and not 1 <= effort <= 5:
        problems.append(_("The effort answer must be from 1 to 5."))
    if set(drivers) - known:
        problems.append(_("Unknown question."))
    if len(open_answer or "") > OPEN_ANSWER_MAX:
        problems.append(_("Your answer may be at most %(n)s characters.") % {"n": OPEN_ANSWER_MAX})
    if problems:
        raise PulseError(problems)


def response_submit(
    *,
    token: str,
    grade: int,
    drivers: dict[str, bool | None],
    effort: int | None,
    open_answer: str,
    call_back: bool,
) -> PulseResponse:
    """Single use: a second submit of the same link is refused and changes nothing."""
    with transaction.atomic():
        invitation = survey_for_token(token, for_update=True)
        event = invitation.event
        questionnaire = event.moment.questionnaires.order_by("-number").first()
        assert questionnaire is not None  # a moment is made with its questionnaire
        check_answers(
            questionnaire.document,
            grade=grade,
            drivers=drivers,
            effort=effort,
            open_answer=open_answer,
        )
        response = aggregates.response_add(
            organisation=event.organisation,
            moment=event.moment,
            questionnaire=questionnaire,
            partner=event.partner,
            area=event.area,
            month=event.occurred_on.replace(day=1),
            grade=grade,
            drivers={k: v for k, v in drivers.items() if v is not None},
            effort=effort,
            open_answer=(open_answer or "").strip(),
        )
        contact = event.contact
        # The tenant asked to be contacted: that holds after any grade, not only a low one
        # (the form offers it to everyone, so a ticked box is never silently ignored).
        if call_back and (contact.email or contact.phone):
            record = CallBack.objects.create(
                organisation=event.organisation,
                response=response,
                partner=event.partner,
                email=contact.email,
                phone=contact.phone,
                deadline=timezone.localdate() + dt.timedelta(days=CALL_BACK_DAYS),
            )
            call_back_notify_new(record)  # mailed to the handlers after commit
        PulseInvitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.ANSWERED)
        # The contact is no longer needed: the call-back holds its own copy, with consent.
        type(contact).objects.filter(pk=contact.pk).update(
            email="", phone="", erased_at=timezone.now()
        )
        return response
