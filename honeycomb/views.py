"""Results pages. Every figure passes through scoring's anonymity threshold."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import (
    organisation_view,
)
from scan import services as scan_services
from scan.forms import ConsensusForm
from scan.modeldoc import localised
from scan.models import ScanRound
from scan.periods import period_of
from scan.selectors import model_doc, round_of

from . import charts, presenters, selectors
from .change_test import change_verdicts
from .chart_cache import cached_figure_html
from .permissions import HONEYCOMB_POLICY
from .priorities import derived_priorities, priority_rows
from .results import ALL, RoundResults, round_results, rule_texts, trend_results
from .scoring import GAP_THRESHOLD, ThresholdRefused
from .services import previous_results_of
from .views_releases import unreleased_page


def _group_choice(request, results: RoundResults, name: str = "group", default: str = ALL) -> str:
    group = request.GET.get(name, default)
    if not results.has_group(group):
        raise Http404(_("Unknown group."))
    return group


def results_page(
    request,
    access,
    scan_round: ScanRound,
    results: RoundResults,
    *,
    overlays: dict,
) -> dict:
    """Everything the results page (and the review built on it) shows, from one results
    object; targets and annotations come from the overlays."""
    language = request.LANGUAGE_CODE
    doc = model_doc(scan_round)
    group = _group_choice(request, results)
    department = request.GET.get("department") or None
    if department and department not in results.departments:
        raise Http404(_("Unknown department."))
    context = {
        "access": access,
        "organisation": access.organisation,
        "scan_round": scan_round,
        "results": results,
        "group": group,
        "department": department,
        "departments": results.departments,
        "group_names": results.group_labels(),
        "has_previous": results.has_previous,
    }
    try:
        scores = results.for_department(department) if department else None
    except ThresholdRefused as refused:
        context["refused"] = refused.message
        return context

    def url_for(code: str) -> str:
        url = reverse(
            "honeycomb:cell",
            kwargs={"org": access.organisation.slug, "pk": scan_round.pk, "cell": code},
        )
        return f"{url}?group={group}"

    changes = None if department else results.changes(group)
    cells = presenters.honeycomb_cells(
        results,
        doc,
        group=group,
        language=language,
        scores=scores,
        url_for=url_for,
        consensus=results.consensus,
        changes=changes,
        targets=overlays.get("targets"),
        annotations=overlays.get("annotations"),
        previous=previous_results_of(scan_round, results) if changes else None,
    )
    level_names = presenters.level_names(doc, language)
    gaps = presenters.gap_rows(results, doc, language=language, limit=8)
    domain_scores = presenters.domain_score_texts(cells)
    context.update(
        {
            "cells": cells,
            "ranked": sorted(
                (c for c in cells if not c.suppressed and c.score is not None),
                key=lambda c: -c.score,  # type: ignore[operator]
            ),
            "domains": presenters.domain_rows(cells),
            "chart": cached_figure_html(
                lambda: charts.honeycomb_figure(
                    cells, level_names=level_names, domain_scores=domain_scores
                ),
                div_id="honeycomb-chart",
                drawn_from=(cells, level_names, domain_scores),
            ),
            "gaps": gaps,
        }
    )
    if not department:
        rows = priority_rows(cells, overlays.get("open_counts"))
        context["priorities"] = rows
        context["derived_priorities"] = derived_priorities(rows, gaps)
        if any(r.target is not None for r in rows):
            context["ambition_chart"] = charts.figure_html(
                charts.ambition_figure(rows), div_id="ambition-chart"
            )
    return context


@organisation_view(HONEYCOMB_POLICY.roles("view_results"))
def results(request, access, pk: int):
    scan_round = round_of(access, pk)
    results = round_results(scan_round)
    if not results.is_released:
        return unreleased_page(request, access, scan_round)
    context = results_page(
        request, access, scan_round, results, overlays=selectors.round_overlays(scan_round)
    )
    return render(
        request, "honeycomb/results.html", context, status=400 if context.get("refused") else 200
    )


@organisation_view(HONEYCOMB_POLICY.roles("view_results"))
def cell_detail(request, access, pk: int, cell: str):
    scan_round = round_of(access, pk)
    doc = model_doc(scan_round)
    if cell not in doc.cell_by_code:
        raise Http404(_("Unknown cell."))
    language = request.LANGUAGE_CODE
    results = round_results(scan_round)
    if not results.is_released:
        return unreleased_page(request, access, scan_round)
    group = _group_choice(request, results)
    model_cell = doc.cell_by_code[cell]
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
            "rows": presenters.group_rows(results, cell),
            "group": group,
            "group_name": results.group_labels()[group],
            "statements": presenters.statement_rows(
                results, doc, cell, group=group, language=language
            ),
            "explained": results.explain(cell, group),
            "rules": rule_texts(),
            "comments": results.comments(cell),
            "consensus": scan_round.consensus.filter(cell_code=cell).first(),
            "cell_actions": selectors.round_overlays(scan_round)
            .get("cell_actions", {})
            .get(cell, []),
            "panels": selectors.cell_panels(scan_round, cell, language),
        },
    )


@organisation_view(HONEYCOMB_POLICY.roles("view_results"))
def compare(request, access, pk: int):
    """The same honeycomb per group side by side, and the gap between a chosen pair."""
    scan_round = round_of(access, pk)
    language = request.LANGUAGE_CODE
    doc = model_doc(scan_round)
    results = round_results(scan_round)
    if not results.is_released:
        return unreleased_page(request, access, scan_round)
    names = results.group_labels()
    kinds = results.group_kinds()
    # By default the pair with the largest shown difference, so the chart opens on news.
    largest = next(iter(results.gaps(flagged_only=False)), None)
    default_a = largest["a"] if largest else ("managers" if "managers" in kinds else ALL)
    default_b = largest["b"] if largest else ("staff" if "staff" in kinds else ALL)
    a = _group_choice(request, results, "a", default_a)
    b = _group_choice(request, results, "b", default_b)
    cells_a = presenters.honeycomb_cells(results, doc, group=a, language=language)
    cells_b = presenters.honeycomb_cells(results, doc, group=b, language=language)
    pair = [
        {
            "label": ca.label,
            "a": ca.score,
            "b": cb.score,
            # The difference of the shown (one-decimal) scores, so the columns agree.
            "gap": None
            if ca.score is None or cb.score is None
            else round(round(ca.score, 1) - round(cb.score, 1), 1),
        }
        for ca, cb in zip(cells_a, cells_b, strict=True)
    ]
    level_names = presenters.level_names(doc, language)
    return render(
        request,
        "honeycomb/compare.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "matrix": presenters.group_matrix(results, doc, language=language),
            "level_names": level_names,
            "gap_chart": charts.figure_html(
                charts.gap_figure(
                    cells_a, cells_b, name_a=names[a], name_b=names[b], threshold=GAP_THRESHOLD
                ),
                div_id="gap-chart",
            ),
            "gap_threshold": GAP_THRESHOLD,
            "a": a,
            "b": b,
            "group_names": names,
            "pair": pair,
        },
    )


def _movement(row: dict) -> float:
    values = [v for v in row["values"][-2:] if v is not None]
    return abs(values[-1] - values[0]) if len(values) == 2 else -1.0


@organisation_view(HONEYCOMB_POLICY.roles("view_results"))
def trend(request, access, pk: int):
    """Per cell across this round and the rounds before it."""
    scan_round = round_of(access, pk)
    language = request.LANGUAGE_CODE
    doc = model_doc(scan_round)
    scored = trend_results(scan_round)
    if not scored[-1].results.is_released:
        return unreleased_page(request, access, scan_round)
    rounds = [r for r, _results in scored]
    group = _group_choice(request, scored[-1].results)
    rows = presenters.trend_rows(scored, doc, group=group, language=language)
    # By default the cell that moved most since the previous round, not simply the first.
    cell_code = request.GET.get("cell") or max(rows, key=_movement)["code"]
    if cell_code not in doc.cell_by_code:
        raise Http404(_("Unknown cell."))
    selected = next(r for r in rows if r["code"] == cell_code)
    target = selectors.round_overlays(scan_round).get("targets", {}).get(cell_code)
    figure = charts.trend_figure(
        {
            selected["name"]: list(
                zip([period_of(r) for r in rounds], selected["values"], strict=True)
            )
        },
        title=selected["name"],
        target=target,
    )
    # Every cell at once: the previous round against the latest, each change judged.
    changes = []
    if len(scored) > 1:
        (first_round, before), (last_round, after) = scored[-2], scored[-1]
        targets = selectors.round_overlays(scan_round).get("targets", {})
        verdicts = change_verdicts(after, before, [c.code for c in doc.cells], group)
        domain_names = {d.code: localised(d.name, language) for d in doc.domains}
        for cell in doc.cells:
            now, then = after.cell(cell.code, group), before.cell(cell.code, group)
            verdict = verdicts.get(cell.code)
            changes.append(
                {
                    "code": cell.code,
                    "name": localised(cell.name, language),
                    "domain": domain_names[cell.domain_code],
                    "before": then.mean,
                    "after": now.mean,
                    "target": targets.get(cell.code),
                    "change": None if verdict is None else verdict.change,
                    "clear": bool(verdict and verdict.clear),
                }
            )
        changes_chart = charts.figure_html(
            charts.change_figure(
                changes, before=period_of(first_round), after=period_of(last_round)
            ),
            div_id="change-chart",
        )
    else:
        changes_chart = ""
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
            "group_names": scored[-1].results.group_labels(),
            "chart": charts.figure_html(figure, div_id="trend-chart"),
            "target": target,
            "panels": selectors.trend_panels(scan_round, cell_code, language),
            "changes": changes,
            "changes_chart": changes_chart,
            "change_periods": [period_of(r) for r in rounds[-2:]],
            "periods": [period_of(r) for r in rounds],
        },
    )


@organisation_view(HONEYCOMB_POLICY.roles("run_workshop"))
def workshop(request, access, pk: int):
    """Per cell: the distribution per group (threshold respected) and the agreed level."""
    scan_round = round_of(access, pk)
    locked = scan_services.round_is_locked(scan_round)
    results = round_results(scan_round)
    if not results.is_released:
        return unreleased_page(request, access, scan_round)
    cells = presenters.workshop_rows(
        results,
        model_doc(scan_round),
        consensus={c.cell_code: c for c in scan_round.consensus.all()},
        language=request.LANGUAGE_CODE,
    )
    names = {c["code"]: c["name"] for c in cells}
    bound, bound_cell, status = None, "", 200
    if request.method == "POST":
        if locked:
            messages.error(request, str(scan_services.ROUND_LOCKED))
            return redirect(request.path)
        bound, bound_cell = ConsensusForm(request.POST), request.POST.get("cell", "")
        if bound.is_valid():
            try:
                scan_services.consensus_record(
                    scan_round=scan_round,
                    cell_code=bound_cell,
                    user=request.user,
                    **bound.cleaned_data,
                )
            except scan_services.ScanError as exc:
                bound.add_error(None, exc.messages[0])
            else:
                messages.success(
                    request,
                    _("Agreed level saved for %(cell)s.")
                    % {"cell": f"{names.get(bound_cell, bound_cell)} ({bound_cell})"},
                )
                return redirect(f"{request.path}#cell-{bound_cell}")
        status = 400  # the errors are shown at the cell, with what was typed
    for cell in cells:
        cell["form"] = bound if bound is not None and cell["code"] == bound_cell else None
    return render(
        request,
        "honeycomb/workshop.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "cells": cells,
            "levels": range(1, 6),
            "locked": locked,
        },
        status=status,
    )
