"""The improvement cycle pages. Permissions come from scan.permissions; changes from services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from honeycomb import charts
from honeycomb.results import round_results
from scan.modeldoc import localised
from scan.models import Role, RoundStatus
from scan.permissions import ALL_ROLES, consultant_required, organisation_view
from scan.selectors import model_doc
from scan.services import ImportRejected

from . import presenters, selectors, services
from .forms import (
    ActionForm,
    AmbitionForm,
    MeasuresImportForm,
    ProgressForm,
    ScheduleForm,
    SignOffForm,
    SummaryForm,
    WithdrawForm,
    WorkingGroupForm,
)
from .history import history_rows
from .models import ActionStatus, Evidence, ImprovementAction, Review

SET_AMBITION = {Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR}
MANAGE_CYCLE = {Role.CONSULTANT, Role.COORDINATOR}


def _action(access, pk: int) -> ImprovementAction:
    return get_object_or_404(
        ImprovementAction.objects.select_related("owner"), pk=pk, organisation=access.organisation
    )


def _names(doc, language):
    return {c.code: localised(c.name, language) for c in doc.cells} if doc else {}


@organisation_view(ALL_ROLES)
def action_list(request, access):
    doc = services.latest_model(access.organisation)
    filters = {k: request.GET.get(k, "") for k in ("cell", "domain", "status", "owner")}
    overdue = request.GET.get("overdue") == "1"
    actions = selectors.actions_for(access.organisation, overdue=overdue, **filters)
    board = request.GET.get("view") == "board"
    columns = (
        [
            (value, label, [a for a in actions if a.status == value])
            for value, label in ActionStatus.choices
        ]
        if board
        else []
    )
    return render(
        request,
        "actions/action_list.html",
        {
            "access": access,
            "organisation": access.organisation,
            "actions": actions,
            "board": board,
            "columns": columns,
            "filters": filters,
            "overdue": overdue,
            "statuses": ActionStatus.choices,
            "cell_names": _names(doc, request.LANGUAGE_CODE),
            "domains": [(d.code, localised(d.name, request.LANGUAGE_CODE)) for d in doc.domains]
            if doc
            else [],
            "owners": access.organisation.memberships.select_related("user"),
            "can_create": services.can_create_action(request.user, access.organisation),
        },
    )


@organisation_view(ALL_ROLES)
def action_create(request, access):
    if not services.can_create_action(request.user, access.organisation):
        raise PermissionDenied
    doc = services.latest_model(access.organisation)
    form = ActionForm(
        request.POST or None,
        organisation=access.organisation,
        doc=doc,
        language=request.LANGUAGE_CODE,
        initial={"cells": [request.GET.get("cell")] if request.GET.get("cell") else []},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            action = services.action_create(
                organisation=access.organisation, user=request.user, **data
            )
        except services.CycleError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Action added."))
            return redirect("actions:detail", org=access.organisation.slug, pk=action.pk)
    return render(
        request,
        "actions/action_form.html",
        {"access": access, "organisation": access.organisation, "form": form},
        status=400 if form.errors else 200,
    )


@organisation_view(ALL_ROLES)
def action_detail(request, access, pk: int):
    action = _action(access, pk)
    doc = services.latest_model(access.organisation)
    can_change = services.can_change_action(request.user, action)
    form = ActionForm(
        instance=action,
        organisation=access.organisation,
        doc=doc,
        language=request.LANGUAGE_CODE,
        initial={
            "cells": list(action.cells.values_list("cell_code", flat=True)),
            "revision": action.revision,
        },
    )
    progress_form = ProgressForm()
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            if request.POST.get("form") == "progress":
                progress_form = ProgressForm(request.POST, request.FILES)
                if progress_form.is_valid():
                    services.action_progress(
                        action=action,
                        user=request.user,
                        note=progress_form.cleaned_data["note"],
                        files=request.FILES.getlist("files"),
                    )
                    messages.success(request, _("Progress saved."))
                    return redirect("actions:detail", org=access.organisation.slug, pk=action.pk)
            else:
                form = ActionForm(
                    request.POST,
                    instance=ImprovementAction.objects.get(pk=action.pk),
                    organisation=access.organisation,
                    doc=doc,
                    language=request.LANGUAGE_CODE,
                )
                if form.is_valid():
                    data = {
                        k: v for k, v in form.cleaned_data.items() if k not in ("revision", "cells")
                    }
                    services.action_change(
                        action=action,
                        user=request.user,
                        revision=form.cleaned_data.get("revision") or 0,
                        cells=form.cleaned_data["cells"],
                        **data,
                    )
                    messages.success(request, _("Action saved."))
                    return redirect("actions:detail", org=access.organisation.slug, pk=action.pk)
        except services.CycleError as exc:
            (progress_form if request.POST.get("form") == "progress" else form).add_error(
                None, exc.messages[0]
            )
        status = 400
    names = _names(doc, request.LANGUAGE_CODE)
    return render(
        request,
        "actions/action_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "action": action,
            "form": form,
            "progress_form": progress_form,
            "can_change": can_change,
            "cells": [
                (c, names.get(c, c)) for c in action.cells.values_list("cell_code", flat=True)
            ],
            "updates": action.updates.select_related("author").prefetch_related("evidence"),
            "events": history_rows(action.events.select_related("actor")[:50], names),
        },
        status=status,
    )


@organisation_view(ALL_ROLES)
def evidence_download(request, access, pk: int, evidence: int):
    """Evidence is served only to members of the action's organisation, never from a public path."""
    action = _action(access, pk)
    item = get_object_or_404(Evidence, pk=evidence, update__action=action)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type="application/octet-stream",
    )


@organisation_view(ALL_ROLES)
def ambition(request, access):
    organisation = access.organisation
    doc = services.latest_model(organisation)
    current = organisation.ambitions.order_by("-version").first()
    defaults = services.default_targets(organisation)
    targets = dict(current.targets.values_list("cell_code", "level")) if current else defaults
    reasons = dict(current.targets.values_list("cell_code", "reason")) if current else {}
    form = AmbitionForm(
        request.POST or None,
        initial={
            "statement": current.statement if current else "",
            "horizon": current.horizon if current else None,
        },
    )
    can_edit = access.can(SET_AMBITION)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            posted = {}
            for cell in doc.cells if doc else []:
                raw = request.POST.get(f"target_{cell.code}", "")
                if raw:
                    posted[cell.code] = (
                        int(raw) if raw.isdigit() else -1,
                        request.POST.get(f"reason_{cell.code}", ""),
                    )
            try:
                services.ambition_set(
                    organisation=organisation,
                    user=request.user,
                    targets=posted,
                    **form.cleaned_data,
                )
            except services.CycleError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Ambition saved as a new version."))
                return redirect("actions:ambition", org=organisation.slug)
        status = 400
    names = _names(doc, request.LANGUAGE_CODE)
    return render(
        request,
        "actions/ambition.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "current": current,
            "can_edit": can_edit,
            "rows": [
                {
                    "code": c,
                    "name": names[c],
                    "target": targets.get(c),
                    "default": defaults.get(c),
                    "reason": reasons.get(c, ""),
                }
                for c in names
            ],
            "history": organisation.ambitions.select_related("created_by"),
        },
        status=status,
    )


@organisation_view(ALL_ROLES)
def review(request, access, pk: int):
    """GET only reads (nothing is written until someone posts a form)."""
    scan_round, the_review = selectors.review_with_round(access.organisation, pk)
    if scan_round.status != RoundStatus.CLOSED:
        messages.info(request, _("A review is possible once the round is closed."))
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    if request.method == "POST":
        return _review_post(request, access, scan_round)
    the_review = the_review or Review(round=scan_round)
    # A sign-off from before snapshots existed froze no review content: show it live.
    signed = the_review.is_signed_off and "actions" in (the_review.frozen or {})
    results = round_results(scan_round)
    data = the_review.frozen if signed else services.review_snapshot(scan_round, results)

    def url_for(code: str) -> str:
        return reverse(
            "honeycomb:cell",
            kwargs={"org": access.organisation.slug, "pk": scan_round.pk, "cell": code},
        )

    context = presenters.review_page(
        results, model_doc(scan_round), data, language=request.LANGUAGE_CODE, url_for=url_for
    )
    context.update(
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "results": results,
            "review": the_review,
            "summary": data.get("summary", the_review.summary) if signed else the_review.summary,
            "summary_is_draft": not signed and not the_review.summary_final,
            "summary_form": SummaryForm(
                initial={
                    "summary": the_review.summary,
                    "final": the_review.summary_final,
                    "revision": the_review.revision,
                }
            ),
            "sign_form": SignOffForm(initial={"revision": the_review.revision}),
            "withdraw_form": WithdrawForm(),
            "can_summarise": access.role == Role.CONSULTANT and not the_review.is_signed_off,
            "can_sign": access.role == Role.DIRECTOR and not the_review.is_signed_off,
            "can_withdraw": access.role == Role.DIRECTOR and the_review.is_signed_off,
        }
    )
    return render(request, "actions/review.html", context)


def _review_post(request, access, scan_round):
    back = redirect("actions:review", org=access.organisation.slug, pk=scan_round.pk)
    which = request.POST.get("form")
    forms = {"summary": SummaryForm, "sign": SignOffForm, "withdraw": WithdrawForm}
    form = forms.get(which, SignOffForm)(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return back
    try:
        if which == "summary":
            services.review_save_summary(
                scan_round=scan_round, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("Summary saved."))
        elif which == "withdraw":
            services.review_withdraw(scan_round=scan_round, user=request.user, **form.cleaned_data)
            messages.success(request, _("Sign-off withdrawn. The results are no longer frozen."))
        else:
            services.review_sign_off(scan_round=scan_round, user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Review signed off. The results and summary are now frozen.")
            )
    except services.CycleError as exc:
        messages.error(request, exc.messages[0])
    return back


@organisation_view(ALL_ROLES)
def dashboard(request, access):
    data = selectors.dashboard(access.organisation)
    chart = None
    if len(data["trend"]) > 1:
        chart = charts.figure_html(
            charts.trend_figure({_("Overall score"): data["trend"]}), div_id="dashboard-trend"
        )
    return render(
        request,
        "actions/dashboard.html",
        {
            "access": access,
            "organisation": access.organisation,
            "data": data,
            "chart": chart,
            "measures": access.organisation.external_measures.all()[:12],
        },
    )


@organisation_view({Role.CONSULTANT})
def schedule(request, access):
    current = getattr(access.organisation, "evaluation_schedule", None)
    if request.method == "POST" and request.POST.get("form") == "prepare":
        return _prepare_now(request, access)
    form = ScheduleForm(request.POST or None, instance=current)
    basis, following = selectors.evaluation_basis(access.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_set(organisation=access.organisation, **form.cleaned_data)
        except services.CycleError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Evaluation schedule saved."))
            return redirect("actions:dashboard", org=access.organisation.slug)
    return render(
        request,
        "actions/schedule.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "basis": basis,
            "basis_respondents": basis.respondents.exclude(email="").count() if basis else 0,
            "following": following,
        },
        status=400 if form.errors else 200,
    )


def _prepare_now(request, access):
    """POST only, after the consultant ticked the confirmation box."""
    back = redirect("actions:schedule", org=access.organisation.slug)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the next round is prepared now."))
        return back
    try:
        draft = services.evaluation_prepare_now(organisation=access.organisation, user=request.user)
    except services.CycleError as exc:
        messages.error(request, exc.messages[0])
        return back
    messages.success(
        request,
        _("“%(title)s” is prepared as a draft. Check the respondents and dates, then open it.")
        % {"title": draft.title},
    )
    return redirect("scan:round", org=access.organisation.slug, pk=draft.pk)


@require_POST
@organisation_view(MANAGE_CYCLE)
def measures_import(request, access):
    form = MeasuresImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or Excel file to import."))
        return redirect("actions:dashboard", org=access.organisation.slug)
    upload = form.cleaned_data["file"]
    try:
        count = services.measures_import(
            organisation=access.organisation, filename=upload.name, content=upload.read()
        )
    except ImportRejected as exc:
        return render(
            request,
            "scan/import_rejected.html",
            {
                "access": access,
                "organisation": access.organisation,
                "errors": exc.errors,
                "back": "dashboard",
            },
            status=400,
        )
    messages.success(request, _("%(n)s measures imported.") % {"n": count})
    return redirect("actions:dashboard", org=access.organisation.slug)


@consultant_required
def portfolio(request):
    return render(
        request,
        "actions/portfolio.html",
        {
            "rows": selectors.portfolio(request.user),
            "sector": selectors.sector_comparison(),
            "minimum": selectors.SECTOR_MINIMUM,
        },
    )


@organisation_view(ALL_ROLES)
def working_group(request, access):
    group = getattr(access.organisation, "working_group", None)
    initial = (
        {"name": group.name, "chair": group.chair, "members": list(group.members.all())}
        if group
        else {"name": _("Working group customer orientation")}
    )
    form = WorkingGroupForm(request.POST or None, organisation=access.organisation, initial=initial)
    can_edit = access.can(MANAGE_CYCLE)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.working_group_set(
                    organisation=access.organisation, user=request.user, **form.cleaned_data
                )
            except services.CycleError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Working group saved."))
                return redirect("actions:working_group", org=access.organisation.slug)
    return render(
        request,
        "actions/working_group.html",
        {
            "access": access,
            "organisation": access.organisation,
            "group": group,
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )
