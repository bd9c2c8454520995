"""Loading a round's answers for scoring: one query, straight into a DataFrame."""

from __future__ import annotations

import pandas as pd

from scan.modeldoc import ModelDoc
from scan.models import Answer, ScanRound
from scan.selectors import model_doc

from .scoring import (  # noqa: F401  (score_round is re-exported for views)
    ANSWER_COLUMNS,
    RoundScores,
    empty_answers,
    filter_answers,
    score_changes,
    score_round,
)


def answers_frame(scan_round: ScanRound, *, submitted_only: bool = True) -> pd.DataFrame:
    """Answers of a round with group, department, cell and domain, as one DataFrame.

    Only submitted respondents count: a half-finished scan is not a result."""
    qs = Answer.objects.filter(respondent__round=scan_round)
    if submitted_only:
        qs = qs.filter(respondent__submitted_at__isnull=False)
    rows = list(
        qs.values_list(
            "respondent_id",
            "respondent__group__kind",
            "respondent__department",
            "statement_code",
            "level",
        )
    )
    if not rows:
        return empty_answers()
    frame = pd.DataFrame(rows, columns=["respondent", "group", "department", "statement", "level"])
    doc = model_doc(scan_round)
    lookup = pd.DataFrame(doc.statement_frame_rows(), columns=["statement", "cell", "domain"])
    frame = frame.merge(lookup, on="statement", how="inner")
    frame["level"] = frame["level"].astype("float64")
    frame["department"] = frame["department"].fillna("")
    return frame[list(ANSWER_COLUMNS)]


def round_scores(scan_round: ScanRound, *, department: str | None = None) -> RoundScores:
    """Scores of a round, optionally for one department; a department below the threshold
    raises ThresholdRefused instead of being shown."""
    answers = answers_frame(scan_round)
    if department:
        answers = filter_answers(
            answers, department=department, min_group_size=scan_round.min_group_size
        )
    return score_round(answers, min_group_size=scan_round.min_group_size)


def departments_of(scan_round: ScanRound) -> list[str]:
    return sorted(
        d
        for d in scan_round.respondents.filter(submitted_at__isnull=False)
        .exclude(department="")
        .values_list("department", flat=True)
        .distinct()
    )


def previous_changes(
    scan_round: ScanRound, scores: RoundScores, group: str = "all"
) -> dict[str, float]:
    """Change per cell since the previous round (cells present in both models)."""
    previous = scan_round.previous_round
    if previous is None:
        return {}
    changes = score_changes(scores, round_scores(previous), group)
    return {str(k): float(v) for k, v in changes.items()}


def cell_comments(
    scan_round: ScanRound, cell_code: str, scores: RoundScores
) -> dict[str, list[str]]:
    """Comments on a cell per group, only for groups above the threshold. No names, no order
    that could point to a person: sorted alphabetically."""
    from scan.models import StepComment

    doc = model_doc(scan_round)
    cell = doc.cell_by_code[cell_code]
    codes = [s.code for s in cell.statements]
    out: dict[str, list[str]] = {}
    visible = {
        g.kind: g.name
        for g in scan_round.groups.all()
        if (row := scores.cell(cell_code, g.kind)) and not row.get("suppressed")
    }
    answers = Answer.objects.filter(
        respondent__round=scan_round,
        respondent__submitted_at__isnull=False,
        statement_code__in=codes,
    ).exclude(comment="")
    for kind, comment in answers.values_list("respondent__group__kind", "comment"):
        if kind in visible:
            out.setdefault(visible[kind], []).append(comment)
    steps = StepComment.objects.filter(
        respondent__round=scan_round, respondent__submitted_at__isnull=False, cell_code=cell_code
    )
    for kind, comment in steps.values_list("respondent__group__kind", "comment"):
        if kind in visible:
            out.setdefault(visible[kind], []).append(comment)
    return {group: sorted(comments) for group, comments in out.items()}


def trend_rounds(scan_round: ScanRound, *, limit: int = 8) -> list[ScanRound]:
    """This round and the ones before it, oldest first (following previous_round links, then
    the organisation's other closed rounds with the same model)."""
    chain, current = [], scan_round
    while current is not None and len(chain) < limit and current not in chain:
        chain.append(current)
        current = current.previous_round
    return list(reversed(chain))


def _none_if_nan(value):
    try:
        return None if value is None or pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def honeycomb_cells(
    scores: RoundScores,
    doc: ModelDoc,
    *,
    group: str = "all",
    language: str = "nl",
    url_for=None,
    targets: dict[str, int] | None = None,
    changes: dict[str, float] | None = None,
    annotations: dict[str, str] | None = None,
    consensus: dict[str, int] | None = None,
):
    """The cells of a round as chart input. Suppressed cells carry no figures at all."""
    from scan.modeldoc import localised

    from .charts import HexCell

    domain_names = {d.code: localised(d.name, language) for d in doc.domains}
    cells = []
    for cell in doc.cells:
        row = scores.cell(cell.code, group)
        suppressed = bool(row.get("suppressed", False)) if row else False
        n = int(row.get("n_respondents") or 0) if row else 0
        cells.append(
            HexCell(
                code=cell.code,
                label=localised(cell.name, language),
                domain_code=cell.domain_code,
                domain_label=domain_names[cell.domain_code],
                score=None if suppressed or not row else _none_if_nan(row.get("mean")),
                n=0 if suppressed else n,
                spread=None if suppressed or not row else _none_if_nan(row.get("spread")),
                suppressed=suppressed or not row,
                target=(targets or {}).get(cell.code),
                change=None if suppressed else (changes or {}).get(cell.code),
                annotation=(annotations or {}).get(cell.code),
                url=url_for(cell.code) if url_for else None,
                consensus=(consensus or {}).get(cell.code),
            )
        )
    return cells


def workshop_overview(scan_round: ScanRound, *, language: str = "nl") -> list[dict]:
    """Per cell: the distribution per group (suppressed below the threshold) and the consensus."""
    from scan.modeldoc import localised

    doc = model_doc(scan_round)
    scores = round_scores(scan_round)
    consensus = {c.cell_code: c for c in scan_round.consensus.all()}
    groups = list(scan_round.groups.all())
    out = []
    for cell in doc.cells:
        rows = []
        for group in [None, *groups]:
            key = "all" if group is None else group.kind
            row = scores.cell(cell.code, key)
            suppressed = not row or bool(row.get("suppressed"))
            rows.append(
                {
                    "name": group.name if group else None,
                    "kind": key,
                    "suppressed": suppressed,
                    "mean": None if suppressed else _none_if_nan(row.get("mean")),
                    "distribution": None
                    if suppressed
                    else [int(row.get(f"dist_{i}") or 0) for i in range(1, 6)],
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


def rounds_for_api(organisation) -> list[ScanRound]:
    return list(
        organisation.rounds.select_related("model_version__model")
        .prefetch_related("groups")
        .order_by("-opens_on")
    )
