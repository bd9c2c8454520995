"""Results pages. Every figure passes through scoring's anonymity threshold."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from scan import services as scan_services
from scan.forms import ConsensusForm
from scan.modeldoc import ModelDoc, localised
from scan.models import ScanRound
from scan.permissions import ALL_ROLES, MANAGE_ROUNDS, organisation_view

from . import charts, selectors


def _round(access, pk: int) -> ScanRound:
    return get_object_or_404(
        ScanRound.objects.select_related("organisation", "model_version__model"),
        pk=pk,
        organisation=access.organisation,
    )


def _group_choice(request, scan_round: ScanRound) -> str:
    group = request.GET.get("group", "all")
    kinds = {"all", *scan_round.groups.values_list("kind", flat=True)}
    if group not in kinds:
        raise Http404(_("Unknown group."))
    return group


@organisation_view(ALL_ROLES)
def results(request, access, pk: int):
    scan_round = _round(access, pk)
    language = request.LANGUAGE_CODE
    doc = ModelDoc(scan_round.model_version.document)
    group = _group_choice(request, scan_round)
    scores = selectors.round_scores(scan_round)
    consensus = dict(scan_round.consensus.values_list("cell_code", "level"))

    def url_for(code: str) -> str:
        url = reverse(
            "honeycomb:cell",
            kwargs={"org": access.organisation.slug, "pk": scan_round.pk, "cell": code},
        )
        return f"{url}?group={group}"

    cells = selectors.honeycomb_cells(
        scores, doc, group=group, language=language, url_for=url_for, consensus=consensus
    )
    level_names = {n: localised(v["name"], language) for n, v in doc.levels.items()}
    figure = charts.honeycomb_figure(cells, level_names=level_names)
    return render(
        request,
        "honeycomb/results.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "cells": cells,
            "chart": charts.figure_html(figure, div_id="honeycomb-chart"),
            "group": group,
            "groups": scan_round.groups.all(),
            "level_names": level_names,
        },
    )


@organisation_view(ALL_ROLES)
def cell_detail(request, access, pk: int, cell: str):
    scan_round = _round(access, pk)
    doc = ModelDoc(scan_round.model_version.document)
    if cell not in doc.cell_by_code:
        raise Http404(_("Unknown cell."))
    language = request.LANGUAGE_CODE
    group = _group_choice(request, scan_round)
    model_cell = doc.cell_by_code[cell]
    scores = selectors.round_scores(scan_round)
    rows = []
    for g in [None, *scan_round.groups.all()]:
        key = "all" if g is None else g.kind
        row = scores.cell(cell, key)
        rows.append(
            {
                "name": g.name if g else _("Everyone"),
                "kind": key,
                "row": row,
                "suppressed": not row or row.get("suppressed"),
            }
        )
    return render(
        request,
        "honeycomb/cell_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "cell": model_cell,
            "cell_name": localised(model_cell.name, language),
            "rows": rows,
            "group": group,
            "statements": [(s.code, s.text_for("staff", language)) for s in model_cell.statements],
            "consensus": scan_round.consensus.filter(cell_code=cell).first(),
        },
    )


@organisation_view(MANAGE_ROUNDS)
def workshop(request, access, pk: int):
    """Per cell: the distribution per group (threshold respected) and the agreed level."""
    scan_round = _round(access, pk)
    if request.method == "POST":
        form = ConsensusForm(request.POST)
        cell_code = request.POST.get("cell", "")
        if form.is_valid():
            try:
                scan_services.consensus_record(
                    scan_round=scan_round,
                    cell_code=cell_code,
                    user=request.user,
                    **form.cleaned_data,
                )
            except scan_services.ScanError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(
                    request, _("Agreed level saved for %(cell)s.") % {"cell": cell_code}
                )
        else:
            messages.error(request, _("Choose a level from 1 to 5 and give a short reason."))
        return redirect(f"{request.path}#cell-{cell_code}")
    return render(
        request,
        "honeycomb/workshop.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "cells": selectors.workshop_overview(scan_round, language=request.LANGUAGE_CODE),
            "levels": range(1, 6),
        },
    )
