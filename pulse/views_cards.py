"""The card left after a visit: a printable page with a QR code per customer moment, and the
open survey it leads to (no contact details, rate-limited per address)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import organisation_view
from core.ratelimit import client_ip, hit, link_miss_allowed

from . import services
from .forms import SurveyForm
from .links import link_token
from .models import CustomerMoment
from .permissions import PULSE_POLICY
from .presenters import qr_svg
from .services.events import PulseError
from .services.responses import LINK_UNKNOWN, SurveyLinkProblem
from .wording import moment_name_in_sentence

# A household answers once; a few more leave room for neighbours behind one address.
CARD_ANSWERS_PER_ADDRESS = 5
CARD_WINDOW_SECONDS = 3600


def _card_url(card) -> str:
    token = link_token(card.link_nonce)
    return settings.KLANTRAAT_BASE_URL + reverse(
        "pulse_public:card_survey", kwargs={"token": token}
    )


@organisation_view(PULSE_POLICY.roles("manage_pulse"))
def card(request, access, moment: str):
    """The printable card (A6) for one moment, or the button to make its link."""
    customer_moment = get_object_or_404(
        CustomerMoment, organisation=access.organisation, code=moment
    )
    active = services.card_link_active(customer_moment)
    url = _card_url(active) if active else None
    return render(
        request,
        "pulse/card.html",
        {
            "access": access,
            "organisation": access.organisation,
            "moment": customer_moment,
            "card": active,
            "url": url,
            "qr": qr_svg(url, title=_("QR code for the survey")) if url else None,
        },
    )


@require_POST
@organisation_view(PULSE_POLICY.roles("manage_pulse"))
def card_link(request, access, moment: str):
    customer_moment = get_object_or_404(
        CustomerMoment, organisation=access.organisation, code=moment
    )
    if request.POST.get("action") == "revoke":
        services.card_link_revoke(moment=customer_moment)
        messages.success(request, _("The card's link no longer works."))
    else:
        services.card_link_create(moment=customer_moment, user=request.user)
        messages.success(request, _("New card link made; cards with the old code no longer work."))
    return redirect("pulse:card", org=access.organisation.slug, moment=customer_moment.code)


def _problem(request, reason: str):
    if reason == LINK_UNKNOWN and not link_miss_allowed(request):
        reason = "guessing"
    return render(
        request,
        "pulse/card_problem.html",
        {"reason": reason},
        status={LINK_UNKNOWN: 404, "guessing": 429}.get(reason, 410),
    )


def card_survey(request, token: str):
    """The survey behind a card's QR code: the same questions, no call-back (no contact)."""
    try:
        card_link_record = services.card_for_token(token)
    except SurveyLinkProblem as problem:
        return _problem(request, problem.reason)
    moment = card_link_record.moment
    questionnaire = moment.questionnaires.order_by("-number").first()
    if questionnaire is None:
        raise Http404
    language = translation.get_language() or "nl"
    form = SurveyForm(request.POST or None, document=questionnaire.document, language=language)
    if request.method == "POST" and form.is_valid():
        if not hit(
            "pulse-card",
            client_ip(request),
            limit=CARD_ANSWERS_PER_ADDRESS,
            window=CARD_WINDOW_SECONDS,
        ):
            return render(request, "pulse/card_problem.html", {"reason": "too_many"}, status=429)
        try:
            services.card_response_submit(
                token=token,
                grade=form.cleaned_data["grade"],
                drivers=form.drivers(),
                effort=form.cleaned_data["effort"],
                open_answer=form.cleaned_data["open_answer"],
            )
        except SurveyLinkProblem as problem:
            return _problem(request, problem.reason)
        except PulseError as exc:
            for message in exc.errors:
                form.add_error(None, message)
        else:
            return render(
                request, "pulse/survey_thanks.html", {"organisation": moment.organisation}
            )
    return render(
        request,
        "pulse/survey.html",
        {
            "form": form,
            "moment": moment_name_in_sentence(moment.name(language)),
            "organisation": moment.organisation,
            "driver_fields": [form[name] for name in form.driver_names],
            "open_card": True,
        },
        status=400 if form.errors else 200,
    )
