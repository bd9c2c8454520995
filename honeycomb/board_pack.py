"""What the board pack says, computed once and rendered twice: as a PDF (``report.py``) and
as a PowerPoint deck (``deck.py``). Every figure comes from the round's ``RoundResults`` (the
signed snapshot for a signed round), so both formats show what the pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scan.modeldoc import ModelDoc, localised

from .chart_formats import fmt_change, fmt_score
from .chart_geometry import HexCell
from .chart_scale import css_class
from .presenters import gap_rows, group_matrix, honeycomb_cells, level_names
from .priorities import PriorityRow, derived_priorities, priority_rows
from .results import ALL, RoundResults, overall_score

TOO_FEW = "–"


@dataclass
class LineChart:
    """A small line chart both formats draw natively (the trend): one value per category
    (round) per series; None where a figure is hidden."""

    categories: list[str]
    series: dict[str, list[float | None]]
    axis_title: str = ""


@dataclass
class ReportSection:
    """Extra content a caller adds (the improvement cycle adds review, actions and trend)."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None
    chart: LineChart | None = None


@dataclass
class DomainBlock:
    code: str
    name: str
    description: str
    cells: list[HexCell]
    score: str = TOO_FEW  # the domain's shown score


@dataclass
class BoardPack:
    organisation: str
    round_title: str
    period: str
    made_on: dt.date
    signed: bool
    status_line: str
    respondents: int
    threshold: int
    overall: str
    overall_change: str
    key_messages: list[str]
    cells: list[HexCell]
    domains: list[DomainBlock]
    group_table: list[list[str]]  # header row, then one row per cell: scores per group
    gaps: list[list[str]]  # header row, then the largest differences
    comments: list[tuple[str, list[tuple[str, str]]]]  # cell name, [(group, text)]
    sections: list[ReportSection]
    priorities: list[PriorityRow] = field(default_factory=list)
    priority_lines: list[str] = field(default_factory=list)  # the three derived priorities
    level_names: dict[int, str] = field(default_factory=dict)

    @property
    def domain_scores(self) -> dict[str, str]:
        """The shown score per domain name (beside the names around the honeycomb)."""
        return {d.name: d.score for d in self.domains if d.score != TOO_FEW}

    @property
    def ambitions_met(self) -> tuple[int, int]:
        """(cells at or above their ambition, cells with an ambition), on shown scores."""
        with_target = [r for r in self.priorities if r.target is not None]
        return sum(1 for r in with_target if (r.gap or 0) <= 0), len(with_target)

    @property
    def overall_css(self) -> str:
        """The overall score's class on the colour scale (static/css/scale.css)."""
        return css_class(parse_decimal(self.overall))

    def priority_table(self) -> list[list[str]]:
        """Header row, then every shown cell by its distance to the ambition."""
        head = [_("Cell"), _("Score"), _("Ambition"), _("Distance")]
        if self.has_change():
            head.append(_("Change"))
        head.append(_("Open actions"))
        rows = [head]
        for r in self.priorities:
            row = [r.label, fmt_score(r.score), "–" if r.target is None else str(r.target)]
            row.append(r.gap_text)
            if self.has_change():
                row.append(r.change_text)
            row.append(str(r.open_actions))
            rows.append(row)
        return rows

    @property
    def title(self) -> str:
        return _("Board report")

    def has_change(self) -> bool:
        return any(c.change is not None for c in self.cells)

    def has_targets(self) -> bool:
        return any(c.target is not None for c in self.cells)


def score_text(cell: HexCell) -> str:
    return TOO_FEW if cell.suppressed or cell.score is None else fmt_score(cell.score)


def change_text(value: float | None, clear: bool = True) -> str:
    """A change as a number when it is larger than its uncertainty, else in words."""
    if value is None:
        return ""
    return fmt_change(value) if clear else _("no clear change")


def parse_decimal(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def score_or_dash(value: float | None) -> str:
    return TOO_FEW if value is None else fmt_score(value)


def board_pack_build(
    *,
    results: RoundResults,
    doc: ModelDoc,
    organisation: str,
    round_title: str,
    period: str,
    language: str,
    overlays: dict,
    sections: list[ReportSection],
    signed_by: str = "",
    signed_on: dt.datetime | None = None,
    previous: RoundResults | None = None,
    tables: bool = True,
) -> BoardPack:
    """Everything the board sees about one round, in the active language. ``previous``: the
    previous round's results when ``results`` does not carry them (a signed round). Without
    ``tables`` the group table, the gaps and the comments stay empty (the dashboard shows
    none of them)."""
    targets = overlays.get("targets") or {}
    changes = results.changes() if results.has_previous else {}
    cells = honeycomb_cells(
        results,
        doc,
        group=ALL,
        language=language,
        targets=targets,
        changes=changes,
        previous=previous,
    )
    domains = [
        DomainBlock(
            code=d.code,
            name=localised(d.name, language),
            description=localised(d.description, language),
            cells=[c for c in cells if c.domain_code == d.code],
            score=score_or_dash(results.domain(d.code).mean),
        )
        for d in doc.domains
    ]
    priorities = priority_rows(cells, overlays.get("open_counts"))
    overall = overall_score(results)
    before = previous or results.previous
    previous_overall = overall_score(before) if before is not None else None
    if results.is_frozen:
        status = _(
            "Signed off by %(name)s on %(date)s; later answers do not change these figures."
        ) % {
            "name": signed_by or _("the board"),
            "date": date_format(timezone.localtime(signed_on), "DATE_FORMAT") if signed_on else "",
        }
    else:
        status = _("Not signed off: the figures may still change.")
    return BoardPack(
        organisation=organisation,
        round_title=round_title,
        period=period,
        made_on=timezone.localdate(),
        signed=results.is_frozen,
        status_line=status,
        respondents=results.respondents,
        threshold=results.min_group_size,
        overall=TOO_FEW if overall is None else fmt_score(overall),
        overall_change=""
        if overall is None or previous_overall is None
        else fmt_change(round(overall - previous_overall, 2)),
        key_messages=_key_messages(cells, results, doc, language),
        cells=cells,
        domains=domains,
        group_table=_group_table(results, doc, language) if tables else [],
        gaps=_gap_table(results, doc, language) if tables else [],
        comments=_comments(results, doc, language) if tables else [],
        sections=sections,
        priorities=priorities,
        priority_lines=derived_priorities(
            priorities, gap_rows(results, doc, language=language, limit=1)
        ),
        level_names=level_names(doc, language),
    )


def _key_messages(
    cells: list[HexCell], results: RoundResults, doc: ModelDoc, language: str
) -> list[str]:
    shown = [c for c in cells if not c.suppressed and c.score is not None]
    messages = []
    if shown:
        # Every cell with the top (or bottom) shown score is named: a tie hides nothing.
        for words, pick in (
            (_("Strongest: %(cell)s (%(score)s)."), max),
            (_("Weakest: %(cell)s (%(score)s)."), min),
        ):
            edge = pick(round(c.score or 0, 1) for c in shown)
            tied = [c.label for c in shown if round(c.score or 0, 1) == edge]
            messages.append(words % {"cell": ", ".join(tied), "score": fmt_score(edge)})
    behind = [
        c for c in shown if c.target is not None and c.score is not None and c.score < c.target
    ]
    if behind:  # (each has both figures: "or 0" only tells the type checker)
        far = max(behind, key=lambda c: (c.target or 0) - (c.score or 0))
        messages.append(
            _("Furthest from the ambition: %(cell)s (%(score)s, ambition %(target)s).")
            % {"cell": far.label, "score": score_text(far), "target": far.target}
        )
    moved = [c for c in shown if c.change is not None and c.change_clear]
    if moved:
        up = max(moved, key=lambda c: c.change or 0.0)
        if up.change is not None and up.change > 0:
            messages.append(
                _("Most improved: %(cell)s (%(change)s).")
                % {"cell": up.label, "change": fmt_change(up.change)}
            )
        down = min(moved, key=lambda c: c.change or 0.0)
        if down.change is not None and down.change < 0:
            messages.append(
                _("Largest decline: %(cell)s (%(change)s).")
                % {"cell": down.label, "change": fmt_change(down.change)}
            )
    gaps = gap_rows(results, doc, language=language, limit=1)
    if gaps:
        gap = gaps[0]
        messages.append(
            _("Largest difference between groups: %(cell)s, %(a)s versus %(b)s (%(gap)s).")
            % {"cell": gap["cell"], "a": gap["a"], "b": gap["b"], "gap": fmt_change(gap["gap"])}
        )
    return messages


def _group_table(results: RoundResults, doc: ModelDoc, language: str) -> list[list[str]]:
    """Scores per cell for everyone, the own organisation and each group (a dash when hidden)."""
    matrix = group_matrix(results, doc, language=language)
    return [[_("Cell"), *matrix["groups"]]] + [
        [row["label"], *[score["text"] for score in row["scores"]]] for row in matrix["rows"]
    ]


def _gap_table(results: RoundResults, doc: ModelDoc, language: str) -> list[list[str]]:
    rows = gap_rows(results, doc, language=language, limit=10)
    return [[_("Cell"), _("Group"), _("Compared with"), _("Difference")]] + [
        [
            r["cell"],
            f"{r['a']} ({fmt_score(r['mean_a'])})",
            f"{r['b']} ({fmt_score(r['mean_b'])})",
            fmt_change(r["gap"]),
        ]
        for r in rows
    ]


def _comments(
    results: RoundResults, doc: ModelDoc, language: str, per_cell: int = 4
) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for cell in doc.cells:
        per_group = results.comments(cell.code) or {}
        quotes = [(group, text) for group, texts in per_group.items() for text in texts]
        if quotes:
            out.append((localised(cell.name, language), quotes[:per_cell]))
    return out
