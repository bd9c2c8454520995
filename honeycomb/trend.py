"""The overall score across a round and the rounds before it, for a page that shows only
that line beside the latest round's honeycomb (the dashboard). Of each snapshot only its
overall table is read, which gives the number ``overall_score`` gives; the full results of
the last two rounds (the honeycomb and its changes) are read only when asked for."""

from __future__ import annotations

from typing import NamedTuple

from scan.models import ScanRound

from . import selectors
from .figures import HIDDEN, figure_of
from .results import ALL, RoundResults, ScoredRound, last_of_trend, results_for_rounds
from .snapshot import table_from_json


class OverallTrend(NamedTuple):
    rounds: list[ScanRound]  # oldest first
    points: list[tuple[ScanRound, float | None]]
    # Which snapshot the last two rounds' figures come from: ("signed" or "release", id).
    shown: tuple[tuple[str, int] | None, ...]


def snapshot_overall(table: dict | None) -> float | None:
    """Everyone's overall score from a snapshot's overall table (as ``RoundResults.overall``
    reads it from the whole snapshot)."""
    frame = table_from_json(table) if table else None
    if frame is None or frame.empty or ALL not in frame.index:
        return HIDDEN.mean
    return figure_of(frame.loc[ALL].to_dict()).mean


def overall_trend(scan_round: ScanRound, *, limit: int = 8) -> OverallTrend:
    """This round and the ones before it (``selectors.trend_rounds``) with their overall
    scores: three queries, whatever the number of rounds."""
    rounds = selectors.trend_rounds(scan_round, limit=limit)
    found = selectors.snapshot_overalls(rounds)
    points = [(r, snapshot_overall(found[r.pk][2]) if r.pk in found else None) for r in rounds]
    shown = tuple(found[r.pk][:2] if r.pk in found else None for r in rounds[-2:])
    return OverallTrend(rounds, points, shown)


def last_results(rounds: list[ScanRound]) -> tuple[RoundResults | None, RoundResults | None]:
    """The full results of a trend's last round (with the previous one attached for its
    changes) and of the round before it (``last_of_trend``)."""
    last = rounds[-2:]
    results = results_for_rounds(last)
    return last_of_trend([ScoredRound(r, results[r.pk]) for r in last])
