"""Pulse pages: the tenant's one-minute survey, the organisation's pulse overview with its
upload and call-backs, and the contract partner's scorecard. Views only orchestrate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import Access, organisation_view
from core.ratelimit import link_miss_allowed
from core.tabular import ImportRejected

from . import figures, selectors, services
from .deck import build_scorecard_deck
from .forms import EventsUploadForm, SurveyForm
from .models import CallBack, ContractPartner, CustomerMoment
from .permissions import PULSE_POLICY, is_partner_login, scorecard_access
from .report import build_scorecard_pdf
from .services.events import PulseError
from .services.responses import CALL_BACK_DAYS, SurveyLinkProblem
from .wording import moment_name_in_sentence, moment_question


def survey(request, token: str):
    """The tenant's survey: no account, one use, phone first."""
    try:
        invitation = services.survey_for_token(token)
    except SurveyLinkProblem as problem:
        reason = problem.reason
        if reason == "unknown" and not link_miss_allowed(request):
            reason = "too_many"
        return render(
            request,
            "pulse/survey_problem.html",
            {"reason": reason},
            status={"unknown": 404, "too_many": 429}.get(reason, 410),
        )
    moment = invitation.event.moment
    questionnaire = moment.questionnaires.order_by("-number").first()
    assert questionnaire is not None  # a moment is made with its questionnaire
    language = translation.get_language() or "nl"
    form = SurveyForm(request.POST or None, document=questionnaire.document, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_submit(
                token=token,
                grade=form.cleaned_data["grade"],
                drivers=form.drivers(),
                effort=form.cleaned_data["effort"],
                open_answer=form.cleaned_data["open_answer"],
                call_back=form.cleaned_data["call_back"],
            )
        except SurveyLinkProblem as problem:
            return render(
                request, "pulse/survey_problem.html", {"reason": problem.reason}, status=410
            )
        except PulseError as exc:
            for message in exc.errors:
                form.add_error(None, message)
        else:
            return render(
                request,
                "pulse/survey_thanks.html",
                {
                    "organisation": invitation.event.organisation,
                    # Confirms who calls and by when, whatever the grade was.
                    "call_back": response.call_back if hasattr(response, "call_back") else None,
                },
            )
    return render(
        request,
        "pulse/survey.html",
        {
            "form": form,
            "moment": moment_name_in_sentence(moment.name(language)),
            "question": moment_question(invitation.event, language),
            "organisation": invitation.event.organisation,
            "driver_fields": [form[name] for name in form.driver_names],
            "call_back_days": CALL_BACK_DAYS,
        },
        status=400 if form.errors else 200,
    )


@organisation_view(PULSE_POLICY.roles("view_pulse"))
def overview(request, access):
    organisation = access.organisation
    threshold = selectors.threshold_for(organisation)
    overview_figures = figures.overview_figures(organisation, threshold)
    # Contact details only for those who call back; the others see how many are waiting.
    handles = PULSE_POLICY.allows(access, "handle_callbacks")
    open_call_backs = selectors.open_call_backs(organisation=organisation)
    return render(
        request,
        "pulse/overview.html",
        {
            "access": access,
            "organisation": organisation,
            "threshold": threshold,
            "figures": overview_figures["figures"],
            "partners": overview_figures["partners"],
            "areas": overview_figures["areas"],
            "call_backs": list(open_call_backs) if handles else [],
            "call_back_count": None if handles else open_call_backs.count(),
            "closed_call_backs": selectors.closed_call_backs(organisation=organisation)
            if handles
            else [],
            "handlers": services.call_back_handlers(organisation) if handles else [],
            "today": timezone.localdate(),
            "open_answers": selectors.open_answers(organisation=organisation)
            if PULSE_POLICY.allows(access, "read_open_answers")
            else [],
            "can_manage": PULSE_POLICY.allows(access, "manage_pulse"),
            "undelivered": selectors.undelivered_invitations(organisation=organisation)
            if PULSE_POLICY.allows(access, "manage_pulse")
            else None,
            "moments": CustomerMoment.objects.filter(organisation=organisation, active=True),
        },
    )


@organisation_view(PULSE_POLICY.roles("manage_pulse"))
def events_upload(request, access):
    form = EventsUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.events_import_file(
                organisation=access.organisation, filename=upload.name, content=upload.read()
            )
        except ImportRejected as exc:
            problems = exc.errors
        else:
            messages.success(
                request,
                _(
                    "%(created)s customer moments imported (%(known)s already received); %(invited)s invitations scheduled, %(skipped)s skipped because the address was asked recently."
                )
                % {
                    "created": report.created,
                    "known": report.already_received,
                    "invited": report.invitations,
                    "skipped": report.skipped_recently_asked,
                },
            )
            return redirect("pulse:overview", org=access.organisation.slug)
    return render(
        request,
        "pulse/events_upload.html",
        {"access": access, "organisation": access.organisation, "form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )


def _call_backs_url(access, anchor: str = "call-backs") -> str:
    return reverse("pulse:overview", kwargs={"org": access.organisation.slug}) + f"#{anchor}"


@require_POST
@organisation_view(PULSE_POLICY.roles("handle_callbacks"))
def call_back_done(request, access, pk: int):
    call_back = get_object_or_404(CallBack, pk=pk, organisation=access.organisation)
    try:
        services.call_back_done(
            call_back=call_back, note=request.POST.get("note", ""), access=access
        )
    except PulseError as exc:
        for message in exc.errors:
            messages.error(request, message)
        return redirect(_call_backs_url(access, f"call-back-{call_back.pk}"))
    messages.success(
        request,
        _("Call-back closed with its outcome; the tenant's contact details were erased."),
    )
    return redirect(_call_backs_url(access))


@require_POST
@organisation_view(PULSE_POLICY.roles("handle_callbacks"))
def call_back_assign(request, access, pk: int):
    call_back = get_object_or_404(CallBack, pk=pk, organisation=access.organisation)
    raw = request.POST.get("owner", "").strip()
    try:
        owner_id = int(raw) if raw else None
        services.call_back_assign(access=access, call_back=call_back, owner_id=owner_id)
    except ValueError:
        messages.error(request, _("Choose someone who handles call-backs in this organisation."))
    except PulseError as exc:
        for message in exc.errors:
            messages.error(request, message)
    else:
        messages.success(request, _("Owner of the call-back saved."))
    return redirect(_call_backs_url(access, f"call-back-{call_back.pk}"))


def _partner_access(request, partner: ContractPartner) -> Access:
    """Members of the corporation, or this partner's own logins: nobody else (the subtree's
    check has resolved the person's access in the organisation already)."""
    access = scorecard_access(request.user, partner, getattr(request, "organisation_access", None))
    if access is None:
        raise Http404
    return access


@login_required(login_url="cms:login")
def scorecard(request, org: str, code: str):
    partner = get_object_or_404(
        ContractPartner.objects.select_related("organisation"), organisation__slug=org, code=code
    )
    access = _partner_access(request, partner)
    threshold = selectors.threshold_for(partner.organisation)
    return render(
        request,
        "pulse/scorecard.html",
        {
            "partner": partner,
            "organisation": partner.organisation,
            "threshold": threshold,
            "figures": figures.pulse_figures(partner.organisation, partner, threshold),
            # The tenant agreed to be contacted by the corporation, not by the contractor:
            # a scorecard never lists call-backs; handlers get a count and a link.
            "call_back_count": selectors.open_call_backs(
                organisation=partner.organisation, partner=partner
            ).count()
            if PULSE_POLICY.allows(access, "handle_callbacks")
            else None,
            "open_answers": selectors.open_answers(
                organisation=partner.organisation, partner=partner
            )
            if PULSE_POLICY.allows(access, "read_open_answers")
            else [],
            "is_partner": is_partner_login(access),
        },
    )


PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _scorecard_file(request, org: str, code: str, build, extension: str, content_type: str):
    """The scorecard for the quarterly talk as a file: the page's figures, without open answers
    or call-backs (a file travels further than a page)."""
    partner = get_object_or_404(
        ContractPartner.objects.select_related("organisation"), organisation__slug=org, code=code
    )
    _partner_access(request, partner)
    threshold = selectors.threshold_for(partner.organisation)
    today = timezone.localdate()
    content = build(
        partner_name=partner.name,
        organisation_name=partner.organisation.name,
        figures=figures.pulse_figures(partner.organisation, partner, threshold),
        threshold=threshold,
        made_on=today,
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"scorecard-{partner.code}-{today.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required(login_url="cms:login")
def scorecard_pdf(request, org: str, code: str):
    return _scorecard_file(request, org, code, build_scorecard_pdf, "pdf", "application/pdf")


@login_required(login_url="cms:login")
def scorecard_pptx(request, org: str, code: str):
    return _scorecard_file(request, org, code, build_scorecard_deck, "pptx", PPTX)


@login_required(login_url="cms:login")
def partner_home(request):
    partners = list(selectors.partners_for_user(request.user))
    if not partners:
        raise PermissionDenied(_("This page is for contract partners."))
    if len(partners) == 1:
        return redirect("pulse:scorecard", org=partners[0].organisation.slug, code=partners[0].code)
    return render(request, "pulse/partner_home.html", {"partners": partners})
