"""The improvement cycle around the actions: ambition, working group, dashboard, evaluation
schedule, external measures and the consultant's portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import organisation_view
from honeycomb import charts
from honeycomb.chart_cache import cached_figure_html
from honeycomb.chart_measures import measure_figure, measure_series, shared_ranges
from honeycomb.selectors import dashboard_panels
from honeycomb.services import summary_pack_for
from honeycomb.trend import last_results
from scan import services as scan_services
from scan.params import parse_id
from scan.services import ImportRejected

from . import presenters, selectors, services, workload
from .forms import AmbitionForm, MeasuresImportForm, ScheduleForm, WorkingGroupForm
from .models import WorkingGroup
from .permissions import ACTIONS_POLICY


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def ambition(request, access):
    organisation = access.organisation
    doc = services.latest_model(organisation)
    current = organisation.ambitions.order_by("-version").first()
    defaults = services.default_targets(organisation)
    basis = services.ambition_basis(organisation)
    targets = dict(current.targets.values_list("cell_code", "level")) if current else defaults
    reasons = dict(current.targets.values_list("cell_code", "reason")) if current else {}
    form = AmbitionForm(
        request.POST or None,
        initial={
            "statement": current.statement if current else "",
            "horizon": current.horizon if current else None,
        },
    )
    can_edit = ACTIONS_POLICY.allows(access, "set_ambition")
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
                        parse_id(raw) or -1,
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
    names = presenters.cell_names(doc, request.LANGUAGE_CODE)
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
                    "score": basis.get(c, {}).get("score"),
                    "agreed": basis.get(c, {}).get("agreed"),
                    "reason": reasons.get(c, ""),
                }
                for c in names
            ],
            "history": organisation.ambitions.select_related("created_by"),
        },
        status=status,
    )


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def dashboard(request, access):
    data = selectors.dashboard(access.organisation)
    chart = None
    if len(data["trend"]) > 1:
        series = {str(_("Overall score")): data["trend"]}
        chart = cached_figure_html(
            lambda: charts.trend_figure(series), div_id="dashboard-trend", drawn_from=(series,)
        )
    # Where do we stand and where did it change: the latest closed round's honeycomb with its
    # changes and ambition, and the board pack's key messages, kept in the shared cache for
    # the snapshots they come from (read only when the pack is made).
    latest = data["latest_round"]
    pack = (
        summary_pack_for(
            latest,
            request.LANGUAGE_CODE,
            shown=data["shown"],
            load=lambda: last_results(data["trend_rounds"]),
        )
        if latest
        else None
    )
    honeycomb = (
        cached_figure_html(
            lambda: charts.honeycomb_figure(
                pack.cells, level_names=pack.level_names, domain_scores=pack.domain_scores
            ),
            div_id="honeycomb-chart",
            drawn_from=(pack.cells, pack.level_names, pack.domain_scores),
        )
        if pack
        else None
    )
    measures = list(access.organisation.external_measures.all())
    all_series = measure_series(measures)
    ranges = shared_ranges(all_series)  # comparable axes side by side
    measure_charts = [
        cached_figure_html(
            lambda series=series: measure_figure(series, ranges.get(float(series.scale))),
            div_id=f"measure-chart-{index}",
            drawn_from=(series, ranges.get(float(series.scale))),
        )
        for index, series in enumerate(all_series, start=1)
    ]
    return render(
        request,
        "actions/dashboard.html",
        {
            "access": access,
            "organisation": access.organisation,
            "data": data,
            "chart": chart,
            "honeycomb": honeycomb,
            "pack": pack,
            "latest": latest,
            "measures": measures,
            "measure_charts": measure_charts,
            "panels": dashboard_panels(access.organisation, request.LANGUAGE_CODE),
        },
    )


@organisation_view(ACTIONS_POLICY.roles("plan_evaluations"))
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
        draft = services.evaluation_prepare_now(access=access)
    except services.CycleError as exc:
        messages.error(request, exc.messages[0])
        return back
    messages.success(
        request,
        _(
            "“%(title)s” is prepared as a draft, opening on %(date)s. Check the respondents and "
            "dates, then open it."
        )
        % {"title": draft.title, "date": date_format(draft.opens_on, "DATE_FORMAT")},
    )
    for warning in scan_services.round_date_warnings(draft.opens_on, draft.closes_on):
        messages.warning(request, warning)
    return redirect("scan:round", org=access.organisation.slug, pk=draft.pk)


@require_POST
@organisation_view(ACTIONS_POLICY.roles("manage_cycle"))
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


def _group_form_page(request, access, group):
    """The working groups of the organisation with a form for ``group`` (None: a new one)."""
    organisation = access.organisation
    initial = (
        {"name": group.name, "chair": group.chair, "members": list(group.members.all())}
        if group
        else {}
    )
    form = WorkingGroupForm(request.POST or None, organisation=organisation, initial=initial)
    can_edit = ACTIONS_POLICY.allows(access, "manage_cycle")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.working_group_set(
                    organisation=organisation, user=request.user, group=group, **form.cleaned_data
                )
            except services.CycleError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Working group saved."))
                return redirect("actions:working_group", org=organisation.slug)
    return render(
        request,
        "actions/working_group.html",
        {
            "access": access,
            "organisation": organisation,
            "groups": workload.working_groups_of(organisation),
            "group": group,
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def working_group(request, access):
    return _group_form_page(request, access, None)


@organisation_view(ACTIONS_POLICY.roles("manage_cycle"))
def working_group_edit(request, access, pk: int):
    group = get_object_or_404(WorkingGroup, pk=pk, organisation=access.organisation)
    return _group_form_page(request, access, group)
