"""Results pages. Every figure passes through scoring's anonymity threshold."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from scan import services as scan_services
from scan.forms import ConsensusForm
from scan.modeldoc import ModelDoc, localised
from scan.models import ScanRound
from scan.permissions import ALL_ROLES, MANAGE_ROUNDS, organisation_view, round_of
from scan.selectors import model_doc

from . import charts, selectors
from .scoring import ALL, RULES, ThresholdRefused, explain_cell


def _group_choice(request, scan_round: ScanRound, name: str = "group", default: str = ALL) -> str:
    group = request.GET.get(name, default)
    kinds = {ALL, "organisation", *scan_round.groups.values_list("kind", flat=True)}
    if group not in kinds:
        raise Http404(_("Unknown group."))
    return group


def _level_names(doc: ModelDoc, language: str) -> dict[int, str]:
    return {n: localised(v["name"], language) for n, v in doc.levels.items()}


def _group_names(scan_round: ScanRound) -> dict[str, str]:
    names = {ALL: _("Everyone"), "organisation": _("Own organisation (board, managers, staff)")}
    names.update({g.kind: g.name for g in scan_round.groups.all()})
    return names


def overlays(scan_round: ScanRound) -> dict:
    """Targets, annotations and per-cell actions from apps that build on the honeycomb,
    configured by setting so the honeycomb never imports them."""
    merged: dict = {}
    for path in getattr(settings, "KLANTRAAT_HONEYCOMB_OVERLAYS", []):
        for key, value in import_string(path)(scan_round).items():
            merged.setdefault(key, {}).update(value)
    return merged


def results_context(
    request,
    access,
    scan_round: ScanRound,
    *,
    annotations: dict | None = None,
    targets: dict | None = None,
) -> dict:
    """Everything the results page shows; targets and annotations come from the overlays."""
    extra = overlays(scan_round) if annotations is None and targets is None else {}
    annotations = annotations if annotations is not None else extra.get("annotations")
    targets = targets if targets is not None else extra.get("targets")
    language = request.LANGUAGE_CODE
    doc = model_doc(scan_round)
    group = _group_choice(request, scan_round)
    department = request.GET.get("department") or None
    departments = selectors.departments_of(scan_round)
    if department and department not in departments:
        raise Http404(_("Unknown department."))
    context = {
        "access": access,
        "organisation": access.organisation,
        "scan_round": scan_round,
        "group": group,
        "groups": scan_round.groups.all(),
        "department": department,
        "departments": departments,
        "group_names": _group_names(scan_round),
    }
    try:
        scores = selectors.round_scores(scan_round, department=department)
    except ThresholdRefused as refused:
        context["refused"] = refused.message
        return context
    consensus = dict(scan_round.consensus.values_list("cell_code", "level"))

    def url_for(code: str) -> str:
        url = reverse(
            "honeycomb:cell",
            kwargs={"org": access.organisation.slug, "pk": scan_round.pk, "cell": code},
        )
        return f"{url}?group={group}"

    cells = selectors.honeycomb_cells(
        scores,
        doc,
        group=group,
        language=language,
        url_for=url_for,
        consensus=consensus,
        changes=None if department else selectors.previous_changes(scan_round, scores, group),
        targets=targets,
        annotations=annotations,
    )
    figure = charts.honeycomb_figure(cells, level_names=_level_names(doc, language))
    gaps = (
        scores.gaps[scores.gaps["flagged"]].sort_values("gap", key=abs, ascending=False)
        if not scores.gaps.empty
        else scores.gaps
    )
    cell_names = {c.code: localised(c.name, language) for c in doc.cells}
    names = _group_names(scan_round)
    context.update(
        {
            "cells": cells,
            "chart": charts.figure_html(figure, div_id="honeycomb-chart"),
            "gaps": [
                {
                    "cell": cell_names.get(row.cell, row.cell),
                    "a": names.get(row.a, row.a),
                    "b": names.get(row.b, row.b),
                    "gap": row.gap,
                }
                for row in gaps.itertuples()
            ][:8],
            "has_previous": scan_round.previous_round_id is not None,
        }
    )
    return context


@organisation_view(ALL_ROLES)
def results(request, access, pk: int):
    scan_round = round_of(access, pk)
    context = results_context(request, access, scan_round)
    return render(
        request, "honeycomb/results.html", context, status=400 if context.get("refused") else 200
    )


@organisation_view(ALL_ROLES)
def cell_detail(request, access, pk: int, cell: str):
    scan_round = round_of(access, pk)
    doc = model_doc(scan_round)
    if cell not in doc.cell_by_code:
        raise Http404(_("Unknown cell."))
    language = request.LANGUAGE_CODE
    group = _group_choice(request, scan_round)
    model_cell = doc.cell_by_code[cell]
    answers = selectors.answers_frame(scan_round)
    scores = selectors.score_round(answers, min_group_size=scan_round.min_group_size)
    rows = []
    for kind, name in _group_names(scan_round).items():
        row = scores.cell(cell, kind)
        if not row and kind != ALL:
            continue
        rows.append(
            {"name": name, "kind": kind, "row": row, "suppressed": not row or row.get("suppressed")}
        )
    statements = []
    for statement in model_cell.statements:
        row = scores.statement(statement.code, group)
        statements.append(
            {
                "code": statement.code,
                "text": statement.text_for("staff", language),
                "groups": ", ".join(
                    str(_group_names(scan_round).get(g, g)) for g in statement.groups
                )
                if len(statement.groups) < 5
                else "",
                "row": row,
                "suppressed": not row or row.get("suppressed"),
            }
        )
    explained = explain_cell(
        answers, cell=cell, group=group, min_group_size=scan_round.min_group_size
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
            "cell_description": localised(model_cell.description, language),
            "descriptors": [
                (
                    n,
                    localised(model_cell.descriptors[str(n)], language),
                    localised(doc.levels[n]["name"], language),
                )
                for n in range(1, 6)
            ],
            "rows": rows,
            "group": group,
            "group_name": _group_names(scan_round)[group],
            "statements": statements,
            "explained": explained,
            "rules": {k: str(v) for k, v in RULES.items()},
            "comments": selectors.cell_comments(scan_round, cell, scores),
            "consensus": scan_round.consensus.filter(cell_code=cell).first(),
            "cell_actions": overlays(scan_round).get("cell_actions", {}).get(cell, []),
        },
    )


@organisation_view(ALL_ROLES)
def compare(request, access, pk: int):
    """The same honeycomb per group side by side, and the gap between a chosen pair."""
    scan_round = round_of(access, pk)
    language = request.LANGUAGE_CODE
    doc = model_doc(scan_round)
    scores = selectors.round_scores(scan_round)
    names = _group_names(scan_round)
    kinds = [g.kind for g in scan_round.groups.all()]
    per_group = {
        names[k]: selectors.honeycomb_cells(scores, doc, group=k, language=language) for k in kinds
    }
    a = _group_choice(request, scan_round, "a", "managers" if "managers" in kinds else ALL)
    b = _group_choice(request, scan_round, "b", "staff" if "staff" in kinds else ALL)
    cells_a = selectors.honeycomb_cells(scores, doc, group=a, language=language)
    cells_b = selectors.honeycomb_cells(scores, doc, group=b, language=language)
    pair = [
        {
            "label": ca.label,
            "a": ca.score,
            "b": cb.score,
            "gap": None if ca.score is None or cb.score is None else ca.score - cb.score,
        }
        for ca, cb in zip(cells_a, cells_b, strict=True)
    ]
    return render(
        request,
        "honeycomb/compare.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "side_by_side": charts.figure_html(
                charts.comparison_figure(per_group, level_names=_level_names(doc, language)),
                div_id="compare-chart",
            ),
            "gap_chart": charts.figure_html(
                charts.gap_figure(cells_a, cells_b, name_a=names[a], name_b=names[b]),
                div_id="gap-chart",
            ),
            "a": a,
            "b": b,
            "group_names": names,
            "pair": pair,
            "per_group": per_group,
        },
    )


@organisation_view(ALL_ROLES)
def trend(request, access, pk: int):
    """Per cell across this round and the rounds before it."""
    scan_round = round_of(access, pk)
    language = request.LANGUAGE_CODE
    doc = model_doc(scan_round)
    group = _group_choice(request, scan_round)
    rounds = selectors.trend_rounds(scan_round)
    scored = [(r, selectors.round_scores(r)) for r in rounds]
    cell_code = request.GET.get("cell") or doc.cells[0].code
    if cell_code not in doc.cell_by_code:
        raise Http404(_("Unknown cell."))
    rows = []
    for cell in doc.cells:
        values = []
        for _r, scores in scored:
            row = scores.cell(cell.code, group)
            values.append(None if not row or row.get("suppressed") else row.get("mean"))
        rows.append({"code": cell.code, "name": localised(cell.name, language), "values": values})
    selected = next(r for r in rows if r["code"] == cell_code)
    target = overlays(scan_round).get("targets", {}).get(cell_code)
    figure = charts.trend_figure(
        {selected["name"]: list(zip([r.period for r in rounds], selected["values"], strict=True))},
        title=selected["name"],
        target=target,
    )
    return render(
        request,
        "honeycomb/trend.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "rounds": rounds,
            "rows": rows,
            "cell_code": cell_code,
            "group": group,
            "groups": scan_round.groups.all(),
            "chart": charts.figure_html(figure, div_id="trend-chart"),
            "target": target,
        },
    )


@organisation_view(MANAGE_ROUNDS)
def workshop(request, access, pk: int):
    """Per cell: the distribution per group (threshold respected) and the agreed level."""
    scan_round = round_of(access, pk)
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


@login_required
def api_tokens(request):
    """Personal API tokens for BI tools; they act with the user's own roles."""
    from . import services
    from .models import ApiToken

    created = None
    if request.method == "POST":
        revoke = request.POST.get("revoke", "")
        if revoke:
            if revoke.isdigit() and services.api_token_revoke(
                user=request.user, token_id=int(revoke)
            ):
                messages.success(request, _("The token no longer works."))
            return redirect("honeycomb:api_tokens")
        _token, created = services.api_token_create(
            user=request.user, name=request.POST.get("name", "")
        )
    return render(
        request,
        "honeycomb/api_tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "created": created,
            "schema_url": "/api/v1/openapi.json",
        },
    )
