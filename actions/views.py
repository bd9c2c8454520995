"""Improvement actions: the list and board, adding, changing, progress and evidence.

Permissions come from core.permissions; changes from services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.audit import audit
from core.permissions import organisation_view
from scan.modeldoc import localised
from scan.params import parse_id

from . import presenters, selectors, services
from .exports import actions_file
from .forms import ActionForm, ProgressForm
from .history import history_rows
from .models import ActionStatus, Evidence, ImprovementAction
from .permissions import ACTIONS_POLICY


def _action(access, pk: int) -> ImprovementAction:
    return get_object_or_404(
        ImprovementAction.objects.select_related("owner"), pk=pk, organisation=access.organisation
    )


def _filtered(request, access):
    filters = {k: request.GET.get(k, "") for k in ("cell", "domain", "status", "owner")}
    if filters["owner"]:  # "abc", "²" or a number no column holds: an owner nobody is
        filters["owner"] = str(parse_id(filters["owner"]) or 0)
    overdue = request.GET.get("overdue") == "1"
    return filters, overdue, selectors.actions_for(access.organisation, overdue=overdue, **filters)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def action_export(request, access, fmt: str):
    """The action list as the page filters it, as CSV or Excel; audited as an export."""
    if fmt not in EXPORT_TYPES:
        raise Http404("Unknown format")
    doc = services.latest_model(access.organisation)
    _filters, _overdue, actions = _filtered(request, access)
    content = actions_file(actions, presenters.cell_names(doc, request.LANGUAGE_CODE), fmt)
    audit("export", organisation=access.organisation, request=request, what=f"actions ({fmt})")
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    name = slugify(f"{_('actions')} {access.organisation.slug}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def action_list(request, access):
    doc = services.latest_model(access.organisation)
    filters, overdue, actions = _filtered(request, access)
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
            "cell_names": presenters.cell_names(doc, request.LANGUAGE_CODE),
            "domains": [(d.code, localised(d.name, request.LANGUAGE_CODE)) for d in doc.domains]
            if doc
            else [],
            "owners": access.organisation.memberships.select_related("user"),
            "can_create": services.can_create_action(access),
            "query": request.GET.urlencode(),
        },
    )


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def action_create(request, access):
    if not services.can_create_action(access):
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
            action = services.action_create(access=access, **data)
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


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def action_detail(request, access, pk: int):
    action = _action(access, pk)
    doc = services.latest_model(access.organisation)
    can_change = services.can_change_action(access, action)
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
                        access=access,
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
                        access=access,
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
    names = presenters.cell_names(doc, request.LANGUAGE_CODE)
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


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
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
