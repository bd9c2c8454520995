"""Organisation workspace for rounds and respondents. Views only orchestrate: permissions
come from ``organisation_view``, changes from ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import OpenLinkForm, RespondentForm, RespondentImportForm, RoundForm
from .models import Respondent, RoundStatus
from .permissions import ALL_ROLES, MANAGE_RESPONDENTS, MANAGE_ROUNDS, organisation_view, round_of
from .services import ImportRejected, LinkProblem, ScanError
from .wizard import guard_link, link_problem_response


@organisation_view(ALL_ROLES)
def organisation_home(request, access):
    rounds = selectors.rounds_for(access.organisation)
    return render(
        request,
        "scan/organisation_home.html",
        {"access": access, "organisation": access.organisation, "rounds": rounds},
    )


@organisation_view(MANAGE_ROUNDS)
def round_create(request, access):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scan_round = services.round_create(
                organisation=access.organisation,
                title=data["title"],
                period=data["period"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                model_version=data["model_version"],
                group_kinds=data["group_kinds"],
                min_group_size=data["min_group_size"],
                created_by=request.user,
            )
        except ScanError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Round created. Add respondents, then open the round."))
            return redirect("scan:round", org=access.organisation.slug, pk=scan_round.pk)
    return render(
        request,
        "scan/round_form.html",
        {"access": access, "organisation": access.organisation, "form": form},
        status=400 if form.errors else 200,
    )


@organisation_view(ALL_ROLES)
def round_detail(request, access, pk: int):
    scan_round = round_of(access, pk)
    context = {
        "access": access,
        "organisation": access.organisation,
        "scan_round": scan_round,
        "rates": selectors.response_rates(scan_round),
        "can_manage_respondents": access.can(MANAGE_RESPONDENTS),
        "can_manage_round": access.can(MANAGE_ROUNDS),
    }
    if access.can(MANAGE_RESPONDENTS):
        context.update(
            {
                "respondents": scan_round.respondents.select_related("group").filter(
                    open_link__isnull=True
                ),
                "respondent_form": RespondentForm(scan_round=scan_round),
                "import_form": RespondentImportForm(),
                "open_link_form": OpenLinkForm(scan_round=scan_round),
                "open_links": scan_round.open_links.select_related("group"),
            }
        )
    return render(request, "scan/round_detail.html", context)


@require_POST
@organisation_view(MANAGE_ROUNDS)
def round_status(request, access, pk: int):
    scan_round = round_of(access, pk)
    try:
        services.round_set_status(scan_round=scan_round, status=request.POST.get("status", ""))
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("The round is now %(status)s.") % {"status": scan_round.get_status_display().lower()},
        )
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def respondent_add(request, access, pk: int):
    scan_round = round_of(access, pk)
    form = RespondentForm(request.POST, scan_round=scan_round)
    if form.is_valid():
        try:
            respondent = services.respondent_add(scan_round=scan_round, **form.cleaned_data)
        except ScanError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("%(email)s added.") % {"email": respondent.email})
            if scan_round.status == RoundStatus.OPEN:
                services.invitations_queue(
                    scan_round=scan_round, respondents=Respondent.objects.filter(pk=respondent.pk)
                )
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def respondent_import(request, access, pk: int):
    scan_round = round_of(access, pk)
    form = RespondentImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or Excel file to import."))
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    upload = form.cleaned_data["file"]
    try:
        report = services.respondents_import(
            scan_round=scan_round, filename=upload.name, content=upload.read()
        )
    except ImportRejected as exc:
        return render(
            request,
            "scan/import_rejected.html",
            {
                "access": access,
                "organisation": access.organisation,
                "scan_round": scan_round,
                "errors": exc.errors,
            },
            status=400,
        )
    messages.success(request, _("%(n)s respondents imported.") % {"n": len(report.created)})
    for line in report.duplicates[:20]:
        messages.warning(request, line)
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def invitations_send(request, access, pk: int):
    scan_round = round_of(access, pk)
    try:
        count = services.invitations_queue(scan_round=scan_round)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(n)s invitations are being sent.") % {"n": count})
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def reminders_send(request, access, pk: int):
    scan_round = round_of(access, pk)
    group = scan_round.groups.filter(pk=request.POST.get("group") or 0).first()
    try:
        count = services.reminders_queue(scan_round=scan_round, group=group)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(n)s reminders are being sent.") % {"n": count})
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def respondent_link(request, access, pk: int, respondent_pk: int):
    """Revoke a respondent's links, or revoke and issue a new one (shown once)."""
    scan_round = round_of(access, pk)
    respondent = get_object_or_404(Respondent, pk=respondent_pk, round=scan_round)
    if request.POST.get("action") == "reissue":
        token = services.respondent_reissue_link(respondent=respondent, user=request.user)
        return render(
            request,
            "scan/link_issued.html",
            {
                "access": access,
                "organisation": access.organisation,
                "scan_round": scan_round,
                "respondent": respondent,
                "link": services.respondent_link_url(token),
            },
        )
    services.respondent_revoke_links(respondent=respondent, user=request.user)
    messages.success(
        request, _("The links of %(email)s no longer work.") % {"email": respondent.email}
    )
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def open_link_create(request, access, pk: int):
    scan_round = round_of(access, pk)
    form = OpenLinkForm(request.POST, scan_round=scan_round)
    if form.is_valid():
        try:
            link, token = services.open_link_create(scan_round=scan_round, **form.cleaned_data)
        except ScanError as exc:
            messages.error(request, exc.messages[0])
        else:
            from django.conf import settings
            from django.urls import reverse

            url = settings.KLANTRAAT_BASE_URL + reverse("scan:open_link", kwargs={"token": token})
            return render(
                request,
                "scan/link_issued.html",
                {
                    "access": access,
                    "organisation": access.organisation,
                    "scan_round": scan_round,
                    "open_link": link,
                    "link": url,
                },
            )
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


def open_link_join(request, token: str) -> HttpResponse:
    """GET shows a start page (link scanners must not create respondents); POST joins."""
    if request.method != "POST":
        return render(request, "scan/open_link_start.html", {"token": token})
    try:
        respondent, personal = guard_link(request, lambda: services.open_link_join(token))
    except LinkProblem as problem:
        return link_problem_response(request, problem)
    return render(
        request,
        "scan/open_link_joined.html",
        {
            "respondent": respondent,
            "link": services.respondent_link_url(personal),
            "token": personal,
        },
    )


@organisation_view(ALL_ROLES)
def audit_log(request, access):
    """Readable by every member; there is no way to change it."""
    from django.db.models import Q

    from .models import AuditEvent

    members = access.organisation.memberships.values("user_id")
    events = AuditEvent.objects.filter(
        Q(organisation=access.organisation) | Q(organisation__isnull=True, actor_id__in=members)
    ).select_related("actor")[:300]
    return render(
        request,
        "scan/audit_log.html",
        {"access": access, "organisation": access.organisation, "events": events},
    )
