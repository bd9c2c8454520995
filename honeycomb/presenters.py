"""Shaping results for pages, charts and exports. No queries: everything comes from a
``RoundResults`` and the round's model document."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scan.modeldoc import ModelDoc, localised

from .change_test import change_verdicts, clear_codes
from .chart_formats import fmt_score, level_band
from .chart_geometry import HexCell
from .chart_scale import css_class
from .results import ALL, ORGANISATION, RoundResults, figure_of
from .scoring_rules import DISAGREEMENT_SPREAD


def disagrees(spread: float | None) -> bool:
    """Whether respondents disagree on a cell: their scores' standard deviation is at least
    ``DISAGREEMENT_SPREAD`` (the rule the scoring flags with)."""
    return spread is not None and spread >= DISAGREEMENT_SPREAD


def level_names(doc: ModelDoc, language: str) -> dict[int, str]:
    return {n: localised(v["name"], language) for n, v in doc.levels.items()}


def cell_names(doc: ModelDoc, language: str) -> dict[str, str]:
    return {c.code: localised(c.name, language) for c in doc.cells}


def honeycomb_cells(
    results: RoundResults,
    doc: ModelDoc,
    *,
    group: str = ALL,
    language: str = "nl",
    scores=None,
    url_for: Callable[[str], str] | None = None,
    targets: dict[str, int] | None = None,
    changes: dict[str, float] | None = None,
    annotations: dict[str, str] | None = None,
    consensus: dict[str, int] | None = None,
    previous: RoundResults | None = None,
) -> list[HexCell]:
    """The cells of a round as chart input; hidden cells carry no figures at all. ``scores``
    narrows to other scores of the same round (a department). A change is marked clear only
    when it exceeds its uncertainty, judged against ``previous`` (default: the results'
    own previous round)."""
    domain_names = {d.code: localised(d.name, language) for d in doc.domains}
    clear = (
        clear_codes(
            change_verdicts(
                results, previous or results.previous, [c.code for c in doc.cells], group
            )
        )
        if changes and not scores
        else set()
    )
    domain_scores = {
        d.code: (
            figure_of(scores.domain(d.code, group)) if scores else results.domain(d.code, group)
        ).mean
        for d in doc.domains
    }
    cells = []
    for cell in doc.cells:
        figure = (
            figure_of(scores.cell(cell.code, group)) if scores else results.cell(cell.code, group)
        )
        cells.append(
            HexCell(
                code=cell.code,
                label=localised(cell.name, language),
                domain_code=cell.domain_code,
                domain_label=domain_names[cell.domain_code],
                score=figure.mean,
                n=figure.n or 0,
                spread=figure.spread,
                suppressed=not figure.shown,
                target=(targets or {}).get(cell.code),
                change=(changes or {}).get(cell.code) if figure.shown else None,
                annotation=(annotations or {}).get(cell.code),
                url=url_for(cell.code) if url_for else None,
                consensus=(consensus or {}).get(cell.code),
                disagreement=disagrees(figure.spread) if figure.shown else False,
                change_clear=cell.code in clear,
                domain_score=domain_scores.get(cell.domain_code),
            )
        )
    return cells


def gap_rows(
    results: RoundResults, doc: ModelDoc, *, language: str, limit: int | None = None
) -> list[dict]:
    """The large perception gaps, largest first, with cell and group names and the means."""
    names = cell_names(doc, language)
    labels = results.group_labels()
    rows = [
        {
            **gap,
            # Shown beside one-decimal scores, the difference is that of the shown scores
            # (4,0 and 2,9 differ by 1,1 on the page even if the exact gap is 1,04).
            "gap": round(round(gap["mean_a"], 1) - round(gap["mean_b"], 1), 1),
            "gap_exact": gap["gap"],
            "cell_code": gap["cell"],
            "cell": names.get(gap["cell"], gap["cell"]),
            "a": labels.get(gap["a"], gap["a"]),
            "b": labels.get(gap["b"], gap["b"]),
        }
        for gap in results.gaps()
    ]
    for row in rows:  # who scores higher, in words
        high, low = ("a", "b") if row["mean_a"] >= row["mean_b"] else ("b", "a")
        row["higher"], row["higher_score"] = row[high], row[f"mean_{high}"]
        row["lower"], row["lower_score"] = row[low], row[f"mean_{low}"]
    return rows[:limit] if limit else rows


def group_rows(results: RoundResults, cell_code: str) -> list[dict]:
    """Per group (everyone first) one cell's figure; groups without answers are left out."""
    rows = []
    for kind, name in results.group_labels().items():
        if kind != ALL and not results.has_group(kind, with_figures=True):
            continue
        figure = results.cell(cell_code, kind)
        rows.append({"name": name, "kind": kind, "figure": figure, "suppressed": not figure.shown})
    return rows


def statement_rows(
    results: RoundResults, doc: ModelDoc, cell_code: str, *, group: str, language: str
) -> list[dict]:
    labels = results.group_labels()
    rows = []
    for statement in doc.cell_by_code[cell_code].statements:
        figure = results.statement(statement.code, group)
        rows.append(
            {
                "code": statement.code,
                "text": statement.text_for("staff", language),
                "groups": ", ".join(str(labels.get(g, g)) for g in statement.groups)
                if len(statement.groups) < 5
                else "",
                "figure": figure,
                "suppressed": not figure.shown,
            }
        )
    return rows


def trend_rows(
    scored: Sequence[tuple[object, RoundResults]], doc: ModelDoc, *, group: str, language: str
) -> list[dict]:
    return [
        {
            "code": cell.code,
            "name": localised(cell.name, language),
            "values": [results.cell(cell.code, group).mean for _r, results in scored],
        }
        for cell in doc.cells
    ]


def workshop_rows(
    results: RoundResults, doc: ModelDoc, *, consensus: dict, language: str
) -> list[dict]:
    """Per cell: the distribution per group (hidden below the threshold) and the consensus."""
    labels = results.group_labels()
    groups = [(ALL, None)] + [(kind, labels[kind]) for kind in results.group_kinds()]
    out = []
    for cell in doc.cells:
        rows = []
        for kind, name in groups:
            figure = results.cell(cell.code, kind)
            rows.append(
                {
                    "name": name,
                    "kind": kind,
                    "suppressed": not figure.shown,
                    "mean": figure.mean,
                    "distribution": (
                        list(figure.distribution)
                        if figure.shown and figure.distribution is not None
                        else None
                    ),
                }
            )
        out.append(
            {
                "code": cell.code,
                "name": localised(cell.name, language),
                "rows": rows,
                "consensus": consensus.get(cell.code),
            }
        )
    return out


def score_rows(
    results: RoundResults, units, *, level: str, groups: list[str], language: str
) -> list[dict]:
    """Flat rows per unit (cell or domain) and group: the API's and Excel's shape."""
    out = []
    for kind in groups:
        for unit in units:
            figure = (
                results.cell(unit.code, kind)
                if level == "cell"
                else results.domain(unit.code, kind)
            )
            out.append(
                {
                    "code": unit.code,
                    "name": localised(unit.name, language),
                    "domain": getattr(unit, "domain_code", None),
                    "group": kind,
                    "suppressed": not figure.shown,
                    "figure": figure,
                }
            )
    return out


def group_matrix(results: RoundResults, doc: ModelDoc, *, language: str) -> dict:
    """Every cell's score for everyone, the own organisation and each group: the perception
    gap at a glance (page and board pack). A hidden figure has no score."""
    labels = results.group_labels()
    groups = [g for g in (ALL, ORGANISATION, *results.group_kinds()) if g in labels]
    domains = {d.code: localised(d.name, language) for d in doc.domains}
    rows = []
    for cell in doc.cells:
        scores = []
        for group in groups:
            figure = results.cell(cell.code, group)
            mean = figure.mean if figure.shown else None
            scores.append(
                {
                    "score": mean,
                    "text": fmt_score(mean) if mean is not None else "–",
                    "level": level_band(mean) if mean is not None else None,
                    "css": css_class(mean),
                }
            )
        rows.append(
            {
                "code": cell.code,
                "label": localised(cell.name, language),
                "domain": domains.get(cell.domain_code, cell.domain_code),
                "scores": scores,
            }
        )
    return {"groups": [labels[g] for g in groups], "rows": rows}


def domain_score_texts(cells: list[HexCell]) -> dict[str, str]:
    """The shown domain score per domain name, for the honeycomb's region labels."""
    return {c.domain_label: fmt_score(c.domain_score) for c in cells if c.domain_score is not None}


def domain_rows(cells: list[HexCell]) -> list[dict]:
    """Per domain its name, shown score and its cells' codes, in the model's order."""
    out: dict[str, dict] = {}
    for cell in cells:
        row = out.setdefault(
            cell.domain_code,
            {"code": cell.domain_code, "name": cell.domain_label, "score": cell.domain_score},
        )
        row.setdefault("cells", []).append(cell)
    return list(out.values())
