"""Shaping the director's review for its page: no queries, only the results object and what
the review froze (or would freeze now)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from honeycomb import charts, presenters
from honeycomb.results import RoundResults
from scan.modeldoc import ModelDoc
from scan.periods import quarter_label

from .models import MeasureKind


def review_page(
    results: RoundResults, doc: ModelDoc, data: dict, *, language: str, url_for=None
) -> dict:
    """The honeycomb with ambition, change and open actions; gaps; action status and effect;
    external measures. ``data`` is ``review_snapshot(...)`` or a signed review's frozen part."""
    names = presenters.cell_names(doc, language)
    annotations = {
        c: _("%(n)s open") % {"n": n} for c, n in data["actions"]["open_per_cell"].items()
    }
    cells = presenters.honeycomb_cells(
        results,
        doc,
        language=language,
        url_for=url_for,
        targets=data["targets"],
        changes=results.changes(),
        annotations=annotations,
        consensus=results.consensus if results.is_frozen else None,
    )
    figure = charts.honeycomb_figure(cells, level_names=presenters.level_names(doc, language))
    return {
        "cells": cells,
        "chart": charts.figure_html(figure, div_id="honeycomb-chart"),
        "gaps": presenters.gap_rows(results, doc, language=language, limit=8),
        "effect": [{**row, "name": names.get(row["cell"], row["cell"])} for row in data["effect"]],
        "action_counts": data["actions"],
        "measures": [
            {
                **m,
                "period": quarter_label(m["period"]),
                "kind_label": MeasureKind(m["kind"]).label
                if m["kind"] in MeasureKind
                else m["kind"],
            }
            for m in data["measures"]
        ],
    }


def cell_names(doc: ModelDoc | None, language: str) -> dict[str, str]:
    """Cell code -> name in the language; empty before a model is published."""
    return presenters.cell_names(doc, language) if doc else {}
