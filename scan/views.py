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
from .params import parse_id
from .permissions import ALL_ROLES, MANAGE_RESPONDENTS, MANAGE_ROUNDS, organisation_view, round_of
from .services import LinkProblem, ScanError
from .views_people import organisation_page
from .wizard import guard_link, link_problem_response


@organisation_view(ALL_ROLES)
def organisation_home(request, access):
    return organisation_page(request, access)


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
        "outbox": selectors.outbox_status(scan_round),
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
def invitations_send(request, access, pk: int):
    scan_round = round_of(access, pk)
    if not request.POST.get("confirm"):
        return _confirm(
            request,
            access,
            scan_round,
            title=_("Send invitations"),
            what=_(
                "Everyone in this round with an e-mail address who has not been invited yet "
                "gets an invitation with a personal link. Nobody is invited twice."
            ),
            count=selectors.invitations_pending_count(scan_round),
            button=_("Send invitations"),
        )
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
    # A group that is not one of this round's is refused, never widened to every group.
    group = None
    if request.POST.get("group"):
        group = get_object_or_404(scan_round.groups, pk=parse_id(request.POST["group"]))
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
    """Revoke a respondent's links, or revoke them and mail the respondent a new one. Staff
    never see the new link: it would open that person's answers."""
    scan_round = round_of(access, pk)
    respondent = get_object_or_404(Respondent, pk=respondent_pk, round=scan_round)
    reissue = request.POST.get("action") == "reissue"
    if not request.POST.get("confirm"):
        who = respondent.email or _("this respondent")
        return _confirm(
            request,
            access,
            scan_round,
            title=_("Mail a new link") if reissue else _("Revoke links"),
            what=(
                _(
                    "The links %(who)s has now stop working. A new personal link is mailed to "
                    "%(who)s; you will not see it. Answers given so far are kept."
                )
                if reissue
                else _(
                    "The links %(who)s has now stop working. Answers given so far are kept. "
                    "You can mail a new link later."
                )
            )
            % {"who": who},
            count=1,
            button=_("Mail a new link") if reissue else _("Revoke links"),
            fields=[("action", "reissue" if reissue else "revoke")],
        )
    if reissue:
        try:
            queued = services.respondent_reissue_link(respondent=respondent, user=request.user)
        except ScanError as exc:
            messages.error(request, exc.messages[0])
        else:
            if queued:
                messages.success(
                    request,
                    _("The old links of %(email)s no longer work; a new link is being mailed.")
                    % {"email": respondent.email},
                )
            else:
                messages.error(
                    request,
                    _(
                        "The old links no longer work, but the new link could not be mailed: see the mail status."
                    ),
                )
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    services.respondent_revoke_links(respondent=respondent, user=request.user)
    messages.success(
        request, _("The links of %(email)s no longer work.") % {"email": respondent.email}
    )
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


def _confirm(request, access, scan_round, *, title, what, count, button, fields=()):
    """A page that says what will happen and to how many people, with one button to do it."""
    return render(
        request,
        "scan/confirm.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "title": title,
            "what": what,
            "count": count,
            "button": button,
            "fields": fields,
        },
    )


@require_POST
@organisation_view(MANAGE_RESPONDENTS)
def mails_retry(request, access, pk: int):
    scan_round = round_of(access, pk)
    count = services.mails_retry_failed(scan_round=scan_round)
    messages.success(request, _("%(n)s mails are being sent again.") % {"n": count})
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
    from .audit import audit_rows

    return render(
        request,
        "scan/audit_log.html",
        {"access": access, "organisation": access.organisation, "events": audit_rows(events)},
    )
