"""One results object per round and request: every page, chart, export, API and the review read
a ``RoundResults``. It is built from one query of answers (or, for a signed round, from the
frozen snapshot) and holds every rule about what may be shown: the threshold test, the group
labels, the gap threshold. Consumers never look at raw score rows themselves."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import pandas as pd
from django.utils.translation import gettext as _

from scan.models import ScanRound

from . import selectors
from .figures import HIDDEN, Figure, figure_of, number_or_none
from .published import listed_departments
from .scoring import (
    ALL,
    GAP_THRESHOLD,
    ORGANISATION,
    RULES,
    RoundScores,
    ThresholdRefused,
    empty_answers,
    explain_cell,
    score_changes,
    score_round,
)
from .snapshot import scores_from_json, scores_to_json

SNAPSHOT_VERSION = 1


def rule_texts() -> dict[str, str]:
    """How the figures are computed, with the round-independent constants filled in."""
    from django.utils.formats import number_format

    gap = number_format(GAP_THRESHOLD, decimal_pos=2)
    return {key: str(text) % {"gap": gap} for key, text in RULES.items()}


def pseudo_group_labels() -> dict[str, str]:
    return {ALL: _("Everyone"), ORGANISATION: _("Own organisation (board, managers, staff)")}


@dataclass
class RoundResults:
    """The results of one round. Build with ``round_results``; never mutated by consumers."""

    round_id: int
    min_group_size: int
    scores: RoundScores
    groups: list[tuple[str, str]]  # the round's own groups with answers: (kind, name)
    departments: list[str]
    respondents: int
    frozen_consensus: dict[str, int] | None = None
    has_previous: bool = False
    previous: RoundResults | None = None
    frozen: dict | None = None  # the snapshot this object was read from (signed rounds)
    release: dict | None = None  # number, kind and moment of the release it shows
    hidden: frozenset | None = field(default=None, repr=False)  # the release's suppression
    answers: pd.DataFrame | None = field(default=None, repr=False)
    comments_frame: pd.DataFrame | None = field(default=None, repr=False)
    _changes: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)
    _gaps: dict[bool, list[dict]] = field(default_factory=dict, repr=False)
    _department_scores: dict[str, Any] = field(default_factory=dict, repr=False)
    _comments: dict[str, dict[str, list[str]]] | None = field(default=None, repr=False)
    consensus_loader: Any = field(default=None, repr=False)

    @property
    def consensus(self) -> dict[str, int]:
        """Levels the workshop agreed on per cell (loaded on first use; frozen when signed)."""
        if self.frozen_consensus is None:
            self.frozen_consensus = self.consensus_loader() if self.consensus_loader else {}
        return self.frozen_consensus

    # --- figures -------------------------------------------------------------------------

    @property
    def is_frozen(self) -> bool:
        return self.frozen is not None

    @property
    def released_at(self):
        """When the release this object shows was made (None for a signed snapshot of old)."""
        import datetime as dt

        made_at = (self.release or {}).get("made_at")
        return dt.datetime.fromisoformat(made_at) if made_at else None

    @property
    def is_released(self) -> bool:
        """Whether there are figures at all: an open round without a release shows none."""
        return self.release is not None or self.is_frozen

    def cell(self, code: str, group: str = ALL) -> Figure:
        return figure_of(self.scores.cell(code, group))

    def domain(self, code: str, group: str = ALL) -> Figure:
        return figure_of(self.scores.domain(code, group))

    def statement(self, code: str, group: str = ALL) -> Figure:
        return figure_of(self.scores.statement(code, group))

    def overall(self, group: str = ALL) -> Figure:
        table = self.scores.overall
        if table.empty or group not in table.index:
            return HIDDEN
        return figure_of(table.loc[group].to_dict())

    def has_group(self, group: str, *, with_figures: bool = False) -> bool:
        """Whether a group may be chosen (or, with figures, has any answers at all)."""
        if with_figures:
            return group in set(self.scores.groups())
        return group in self.group_labels()

    # --- labels ---------------------------------------------------------------------------

    def group_labels(self) -> dict[str, str]:
        """Everyone, own organisation, then the round's groups: the one way groups are named.
        A group's own (Dutch) name on Dutch pages, its kind's translated name otherwise."""
        from django.conf import settings
        from django.utils.translation import get_language

        from scan.models import GroupKind

        dutch = (get_language() or settings.LANGUAGE_CODE).split("-")[0] == settings.LANGUAGE_CODE
        return {
            **pseudo_group_labels(),
            **{
                kind: name if dutch or kind not in GroupKind.values else str(GroupKind(kind).label)
                for kind, name in self.groups
            },
        }

    def group_kinds(self) -> list[str]:
        return [kind for kind, _name in self.groups]

    # --- comparisons ----------------------------------------------------------------------

    def changes(self, group: str = ALL) -> dict[str, float]:
        """Change per cell since the previous round (cells shown in both)."""
        if group not in self._changes:
            if self.previous is None:
                return {}
            series = score_changes(self.scores, self.previous.scores, group)
            self._changes[group] = {str(k): float(v) for k, v in series.items()}
        return self._changes[group]

    def gaps(self, *, flagged_only: bool = True) -> list[dict]:
        """Differences between groups per cell, largest first; flagged means ≥ GAP_THRESHOLD.
        Worked out once per object (a page asks for them for several of its parts)."""
        if flagged_only not in self._gaps:
            self._gaps[flagged_only] = self._gap_list(flagged_only)
        return list(self._gaps[flagged_only])

    def _gap_list(self, flagged_only: bool) -> list[dict]:
        table = self.scores.gaps
        if table.empty:
            return []
        table = table.dropna(subset=["gap"])
        if flagged_only:
            table = table[table["flagged"]]
        table = table.sort_values("gap", key=abs, ascending=False)
        return [
            {
                "cell": str(row.cell),
                "a": str(row.a),
                "b": str(row.b),
                "mean_a": number_or_none(row.mean_a),
                "mean_b": number_or_none(row.mean_b),
                "gap": float(row.gap),
                "flagged": bool(row.flagged),
            }
            for row in table.itertuples()
        ]

    # --- narrowing ------------------------------------------------------------------------

    def for_department(self, department: str) -> RoundScores:
        """Scores of one department; below the threshold raises ThresholdRefused."""
        if department not in self.departments:
            raise KeyError(department)
        if self.answers is None:
            stored = self._department_scores[department]  # stored with the departments
            if isinstance(stored, int):
                raise ThresholdRefused(stored, self.min_group_size)
            if isinstance(stored, dict):  # a snapshot's tables, read when first asked for
                stored = self._department_scores[department] = scores_from_json(stored)
            return stored
        # Disclosure control checks the department together with the whole round.
        return score_round(
            self.answers,
            min_group_size=self.min_group_size,
            department=department,
            hidden=self.hidden,
        )

    def explain(self, cell: str, group: str = ALL) -> dict:
        """How a cell score was computed (statements, counts, rule)."""
        if self.answers is not None:
            return explain_cell(
                self.answers, cell=cell, group=group, min_group_size=self.min_group_size
            )
        figure = self.cell(cell, group)
        return {
            "rule": rule_texts()["cell_score"],
            "threshold_rule": rule_texts()["threshold"],
            "statements": [],
            "n_respondents": figure.n or 0,
            "mean": figure.mean,
            "median": figure.median,
            "suppressed": not figure.shown,
            "threshold": self.min_group_size,
        }

    def comments(self, cell: str) -> dict[str, list[str]]:
        """Comments on a cell per group name, only for groups shown for that cell; sorted
        alphabetically so no order points to a person."""
        if self._comments is None:
            self._comments = self._all_comments()
        return self._comments.get(cell, {})

    def _all_comments(self) -> dict[str, dict[str, list[str]]]:
        if self.comments_frame is None:
            return {}
        frame = pd.concat(
            [self.comments_frame, selectors.step_comments_frame(self.round_id)], ignore_index=True
        )
        names = dict(self.groups)
        out: dict[str, dict[str, list[str]]] = {}
        for row in frame.itertuples():
            if row.group in names and self.cell(row.cell, row.group).shown:
                out.setdefault(row.cell, {}).setdefault(names[row.group], []).append(row.comment)
        return {
            cell: {group: sorted(texts) for group, texts in per_group.items()}
            for cell, per_group in out.items()
        }

    # --- snapshot -------------------------------------------------------------------------

    def to_snapshot(self, *, cell_codes: list[str]) -> dict:
        """Everything this object can show, as JSON, so ``from_snapshot`` gives the same
        figures for ever: tables, groups, departments, changes, consensus, comments."""
        kinds = [ALL, ORGANISATION, *self.group_kinds()]
        departments: dict[str, Any] = {}
        for department in self.departments:
            try:
                departments[department] = scores_to_json(self.for_department(department))
            except ThresholdRefused as refused:
                departments[department] = refused.n
        return {
            "version": SNAPSHOT_VERSION,
            "round": self.round_id,
            "min_group_size": self.min_group_size,
            "scores": scores_to_json(self.scores),
            "groups": [list(g) for g in self.groups],
            "departments": departments,
            "respondents": self.respondents,
            "consensus": self.consensus,
            "has_previous": self.has_previous,
            "changes": {kind: self.changes(kind) for kind in kinds},
            "comments": {code: self.comments(code) for code in cell_codes if self.comments(code)},
            "release": self.release,
        }

    @classmethod
    def from_snapshot(cls, data: dict, *, signed: bool = True) -> RoundResults:
        """The results a snapshot holds: a signed round's (frozen, with the consensus as
        signed) or a release's (``signed=False``: the workshop's consensus stays live). A
        department's tables stay JSON until ``for_department`` asks for them: most pages
        show none."""
        departments = dict(data["departments"])
        return cls(
            round_id=data["round"],
            min_group_size=data["min_group_size"],
            scores=scores_from_json(data["scores"]),
            groups=[(kind, name) for kind, name in data["groups"]],
            departments=sorted(departments),
            respondents=data["respondents"],
            frozen_consensus={k: int(v) for k, v in data["consensus"].items()} if signed else None,
            has_previous=data["has_previous"],
            frozen=data if signed else None,
            release=data.get("release"),
            _changes={k: dict(v) for k, v in data["changes"].items()},
            _department_scores=departments,
            _comments={k: dict(v) for k, v in data["comments"].items()},
        )


# --- building -------------------------------------------------------------------------------


def results_from_answers(
    scan_round: ScanRound, loaded: selectors.LoadedAnswers, *, hidden: frozenset | None = None
) -> RoundResults:
    """Results computed from answers: only when a release is made (``honeycomb.release_services``)
    and in tests of the rules; every page reads a release."""
    answers = loaded.answers
    return RoundResults(
        round_id=scan_round.pk,
        min_group_size=scan_round.min_group_size,
        scores=score_round(answers, min_group_size=scan_round.min_group_size, hidden=hidden),
        groups=loaded.groups,
        departments=listed_departments(answers, threshold=scan_round.min_group_size, hidden=hidden),
        respondents=int(answers["respondent"].nunique()),
        has_previous=scan_round.previous_round_id is not None,
        answers=answers,
        comments_frame=loaded.comments,
        hidden=hidden,
    )


def unreleased(scan_round: ScanRound) -> RoundResults:
    """An open round without a release: no figures at all (response counts are the only
    thing its pages show)."""
    return RoundResults(
        round_id=scan_round.pk,
        min_group_size=scan_round.min_group_size,
        scores=score_round(empty_answers(), min_group_size=scan_round.min_group_size),
        groups=[],
        departments=[],
        respondents=0,
        has_previous=scan_round.previous_round_id is not None,
    )


def _published(
    scan_round: ScanRound, signed: dict[int, dict], released: dict[int, dict]
) -> RoundResults:
    """A round's results from its signed snapshot or its latest release (as read by
    ``selectors.frozen_snapshots`` and ``selectors.latest_releases``), else no figures."""
    if scan_round.pk in signed:
        return RoundResults.from_snapshot(signed[scan_round.pk])
    if scan_round.pk in released:
        results = RoundResults.from_snapshot(released[scan_round.pk], signed=False)
        results.consensus_loader = lambda: selectors.consensus_levels(scan_round)
        return results
    return unreleased(scan_round)


def results_for_rounds(rounds: list[ScanRound]) -> dict[int, RoundResults]:
    """Results of several rounds as published: a signed round's snapshot, otherwise its latest
    release; one query for each kind."""
    if not rounds:
        return {}
    signed = selectors.frozen_snapshots(rounds)
    released = selectors.latest_releases([r for r in rounds if r.pk not in signed])
    return {r.pk: _published(r, signed, released) for r in rounds}


def round_results(scan_round: ScanRound) -> RoundResults:
    """The results of a round as published: the signed snapshot when the round is signed,
    otherwise its latest release (whose changes since the previous round were fixed when it
    was made), otherwise no figures. Never computed from live answers."""
    return results_for_rounds([scan_round])[scan_round.pk]


class ScoredRound(NamedTuple):
    """A round of a trend with its results."""

    round: ScanRound
    results: RoundResults


def trend_results(scan_round: ScanRound, *, limit: int = 8) -> list[ScoredRound]:
    """This round and the ones before it, oldest first, each with its results (snapshots for
    signed rounds, one answer query for the rest)."""
    rounds = selectors.trend_rounds(scan_round, limit=limit)
    results = results_for_rounds(rounds)
    return [ScoredRound(r, results[r.pk]) for r in rounds]


def last_of_trend(
    scored: list[ScoredRound],
) -> tuple[RoundResults | None, RoundResults | None]:
    """The results of a trend's last round and of the round before it. Unsigned results get
    that previous round attached for their changes, as ``round_results`` would, so a caller
    with a trend needs no second read of the answers."""
    if not scored:
        return None, None
    last_round, last = scored[-1]
    if len(scored) < 2 or scored[-2].round.pk != last_round.previous_round_id:
        return last, None
    previous = scored[-2].results
    if not last.is_frozen and last.previous is None:
        last = replace(last, previous=previous, _changes={})
    return last, previous


def overall_score(results: RoundResults) -> float | None:
    return results.overall(ALL).mean
