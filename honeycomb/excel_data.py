"""The analysts' sheet of the workbook: one row per figure in long format — cell and
statement, each group, the whole round and each department that may be shown — with the
ambition and the change beside it. A hidden figure keeps its row (so a pivot table has every
combination) but carries no number at all, not even its count."""

from __future__ import annotations

from collections.abc import Iterator

from scan.modeldoc import ModelDoc, localised

from .results import RoundResults, figure_of
from .scoring import RoundScores


def round2(value: float | None) -> float | None:
    """Figures in the workbook carry two decimals, as the API does."""
    return None if value is None else round(value, 2)


def data_rows(
    results: RoundResults,
    doc: ModelDoc,
    *,
    language: str,
    targets: dict[str, int],
    labels: dict[str, str],
) -> Iterator[list]:
    group_names = results.group_labels()
    groups = [g for g in group_names if results.has_group(g, with_figures=True)]
    units: list[tuple[str, RoundScores | None]] = [(labels["all_departments"], None)]
    units += [(name, results.for_department(name)) for name in results.departments]
    changes = {group: results.changes(group) for group in groups}
    for department, scores in units:
        for cell in doc.cells:
            items = [(labels["level_cell"], cell.code, localised(cell.name, language))]
            items += [
                (labels["level_statement"], s.code, s.text_for("all", language))
                for s in cell.statements
            ]
            for level, code, name in items:
                for group in groups:
                    is_cell = code == cell.code
                    if scores is None:
                        figure = (
                            results.cell(code, group) if is_cell else results.statement(code, group)
                        )
                    else:
                        raw = scores.cell(code, group) if is_cell else scores.statement(code, group)
                        figure = figure_of(raw)
                    shown = figure.shown and figure.mean is not None
                    change = changes[group].get(code) if is_cell and scores is None else None
                    yield [
                        level,
                        cell.domain_code,
                        cell.code,
                        code,
                        name,
                        group,
                        group_names[group],
                        department,
                        shown,
                        figure.n if shown else None,
                        round2(figure.mean) if shown else None,
                        round2(figure.median) if shown else None,
                        round2(figure.spread) if shown else None,
                        targets.get(code) if is_cell else None,
                        round2(change) if shown else None,
                    ]


def data_header(labels: dict[str, str]) -> list[str]:
    return [
        labels["level"],
        labels["domain"],
        labels["cell_code"],
        labels["code"],
        labels["name"],
        labels["group_code"],
        labels["group"],
        labels["department"],
        labels["shown"],
        labels["n"],
        labels["mean"],
        labels["median"],
        labels["spread"],
        labels["ambition"],
        labels["change"],
    ]
