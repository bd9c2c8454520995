"""Organisation workspace for rounds and respondents. Views only orchestrate: permissions
come from ``organisation_view``, changes from ``services``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.permissions import (
    organisation_view,
)

from . import selectors, services
from .forms import OpenLinkForm, RespondentForm, RespondentImportForm, RoundForm
from .forms_manage import (
    STATUS_LABELS,
    BulkActionForm,
    RespondentFilterForm,
    RoundCopyChoiceForm,
)
from .models import Respondent, RoundStatus
from .params import parse_id
from .permissions import SCAN_POLICY
from .selectors import round_of
from .services import ScanError
from .views_people import organisation_page


@organisation_view(SCAN_POLICY.roles("view_organisation"))
def organisation_home(request, access):
    return organisation_page(request, access)


@organisation_view(SCAN_POLICY.roles("manage_rounds"))
def round_create(request, access):
    """A new round, blank or as a copy of an earlier round's set-up (``?copy_from=``): the
    copy pre-fills this form and the set-up is copied when the round is created."""
    copyable = selectors.rounds_copyable_by(request.user)
    chooser = RoundCopyChoiceForm(
        request.GET if "copy_from" in request.GET else None, copyable=copyable
    )
    source = chooser.cleaned_data["copy_from"] if chooser.is_valid() else None
    form = RoundForm(
        request.POST or None,
        copyable=copyable,
        source=source,
        organisation_id=access.organisation.pk,
    )
    if source is None and access.organisation.group_kinds and not form.is_bound:
        form.fields["group_kinds"].initial = access.organisation.group_kinds
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "organisation": access.organisation,
            "title": data["title"],
            "period": data["period"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "model_version": data["model_version"],
            "group_kinds": data["group_kinds"],
            "min_group_size": data["min_group_size"],
            "created_by": request.user,
        }
        try:
            if data["copy_from"]:
                scan_round, report = services.round_create_as_copy(
                    source=data["copy_from"],
                    with_respondents=bool(data.get("copy_respondents")),
                    **fields,
                )
            else:
                scan_round, report = services.round_create(**fields), None
        except ScanError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Round created. Add respondents, then open the round."))
            if report is not None:
                messages.info(request, copy_summary(report))
            return redirect("scan:round", org=access.organisation.slug, pk=scan_round.pk)
    return render(
        request,
        "scan/round_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "chooser": chooser if copyable.exists() else None,
            "source": form.source,
        },
        status=400 if form.errors or chooser.errors else 200,
    )


def copy_summary(report) -> str:
    parts = [
        ngettext("%(n)s group", "%(n)s groups", report.groups) % {"n": report.groups},
        ngettext("%(n)s department", "%(n)s departments", report.departments)
        % {"n": report.departments},
        ngettext("%(n)s mail text", "%(n)s mail texts", report.mail_texts)
        % {"n": report.mail_texts},
        ngettext("%(n)s respondent", "%(n)s respondents", report.respondents)
        % {"n": report.respondents},
    ]
    return _("Copied: %(what)s.") % {"what": ", ".join(parts)}


@organisation_view(SCAN_POLICY.roles("view_organisation"))
def round_detail(request, access, pk: int):
    return round_page(request, access, round_of(access, pk))


def round_page(request, access, scan_round, *, open_link_form=None, status: int = 200):
    """The round's page; ``open_link_form`` brings back a rejected open-link form with its
    errors at the fields."""
    context = {
        "access": access,
        "organisation": access.organisation,
        "scan_round": scan_round,
        "date_warnings": (
            services.round_date_warnings(scan_round.opens_on, scan_round.closes_on)
            if scan_round.status == RoundStatus.DRAFT
            else []
        ),
        "rates": selectors.response_rates(scan_round),
        "outbox": selectors.outbox_status(scan_round),
    }
    if SCAN_POLICY.allows(access, "manage_respondents"):
        context.update(respondents_context(request, scan_round))
        context.update(
            {
                "respondent_form": RespondentForm(scan_round=scan_round),
                "departments": services.round_departments(scan_round),
                "import_form": RespondentImportForm(),
                "open_link_form": open_link_form or OpenLinkForm(scan_round=scan_round),
                "open_links": selectors.open_links_listed(scan_round),
                "today": timezone.localdate(),
            }
        )
    return render(request, "scan/round_detail.html", context, status=status)


def respondents_context(request, scan_round) -> dict:
    """One page of the searched and filtered respondents list, with the query to keep."""
    filter_form = RespondentFilterForm(request.GET or None, scan_round=scan_round)
    filters = filter_form.filters()
    listed = selectors.respondents_listed(scan_round, **filters)
    page = Paginator(listed, selectors.RESPONDENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return {
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "respondents_page": page,
        "respondents_query": query,
        "respondents_total": scan_round.respondents.filter(
            open_link__isnull=True, personal_data_erased_at__isnull=True
        ).count(),
        "bulk_form": BulkActionForm(scan_round=scan_round),
        "status_labels": STATUS_LABELS,
    }


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_rounds"))
def round_delete(request, access, pk: int):
    scan_round = round_of(access, pk)
    if scan_round.status != RoundStatus.DRAFT:
        messages.error(request, str(services.ROUND_NOT_DRAFT))
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    if not request.POST.get("confirm"):
        return confirm_page(
            request,
            access,
            scan_round,
            title=_("Delete round"),
            what=_(
                "The draft round “%(title)s” is deleted with its groups, respondents, links and "
                "mails. This cannot be undone."
            )
            % {"title": scan_round.title},
            count=scan_round.respondents.count(),
            button=_("Delete round"),
        )
    try:
        services.round_delete(scan_round=scan_round, user=request.user)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    messages.success(request, _("The round “%(title)s” was deleted.") % {"title": scan_round.title})
    return redirect("scan:organisation", org=access.organisation.slug)


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
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
            messages.error(request, str(errors[0]))  # an error list gives its messages as text
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def invitations_send(request, access, pk: int):
    scan_round = round_of(access, pk)
    if request.method != "POST":  # a bookmarked or reloaded address: back to the round
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    if not request.POST.get("confirm"):
        return confirm_page(
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
            previews=services.invitation_previews(scan_round),
        )
    try:
        count = services.invitations_queue(scan_round=scan_round)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(n)s invitations are being sent.") % {"n": count})
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
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
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def respondent_link(request, access, pk: int, respondent_pk: int):
    """Revoke a respondent's links, or revoke them and mail the respondent a new one. Staff
    never see the new link: it would open that person's answers."""
    scan_round = round_of(access, pk)
    respondent = get_object_or_404(Respondent, pk=respondent_pk, round=scan_round)
    reissue = request.POST.get("action") == "reissue"
    if not request.POST.get("confirm"):
        who = respondent.email or _("this respondent")
        return confirm_page(
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


def confirm_page(
    request, access, scan_round, *, title, what, count, button, fields=(), previews=()
):
    """A page that says what will happen and to how many people, with one button to do it;
    ``previews`` shows the mail per group as it will be sent."""
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
            "previews": previews,
        },
    )


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def mails_retry(request, access, pk: int):
    scan_round = round_of(access, pk)
    count = services.mails_retry_failed(scan_round=scan_round)
    messages.success(request, _("%(n)s mails are being sent again.") % {"n": count})
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@organisation_view(SCAN_POLICY.roles("read_audit_log"))
def audit_log(request, access):
    """Readable by every member; there is no way to change it."""
    from django.db.models import Q

    from core.models import AuditEvent

    members = access.organisation.memberships.values("user_id")
    events = AuditEvent.objects.filter(
        Q(organisation=access.organisation) | Q(organisation__isnull=True, actor_id__in=members)
    ).select_related("actor")[:300]
    from core.audit import audit_rows

    return render(
        request,
        "scan/audit_log.html",
        {"access": access, "organisation": access.organisation, "events": audit_rows(events)},
    )
