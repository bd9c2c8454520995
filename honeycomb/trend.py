"""The overall score across a round and the rounds before it, for a page that shows only
that line beside the latest round's honeycomb (the dashboard). Only the last two rounds are
read as full results (the honeycomb and its changes); of the older ones only the overall
table of their snapshot is read, which gives the same number ``overall_score`` gives."""

from __future__ import annotations

from typing import NamedTuple

from scan.models import ScanRound

from . import selectors
from .figures import HIDDEN, figure_of
from .results import (
    ALL,
    RoundResults,
    ScoredRound,
    last_of_trend,
    overall_score,
    published_results,
)
from .snapshot import table_from_json


class OverallTrend(NamedTuple):
    points: list[tuple[ScanRound, float | None]]  # oldest first
    latest: RoundResults | None  # the last round's results (with the previous attached)
    previous: RoundResults | None  # the round before it, when it is the one it follows


def snapshot_overall(data: dict) -> float | None:
    """Everyone's overall score in a snapshot, from its overall table alone (as
    ``RoundResults.overall`` reads it from the whole snapshot)."""
    table = table_from_json(data["scores"]["overall"])
    figure = (
        HIDDEN if table.empty or ALL not in table.index else figure_of(table.loc[ALL].to_dict())
    )
    return figure.mean


def overall_trend(scan_round: ScanRound, *, limit: int = 8) -> OverallTrend:
    """This round and the ones before it (``selectors.trend_rounds``) with their overall
    scores; two queries for the snapshots, whatever the number of rounds."""
    rounds = selectors.trend_rounds(scan_round, limit=limit)
    signed = selectors.frozen_snapshots(rounds)
    released = selectors.latest_releases([r for r in rounds if r.pk not in signed])
    last = [ScoredRound(r, published_results(r, signed, released)) for r in rounds[-2:]]
    full = {r.pk: results for r, results in last}
    points = []
    for r in rounds:
        if r.pk in full:
            points.append((r, overall_score(full[r.pk])))
        else:
            data = signed.get(r.pk) or released.get(r.pk)
            points.append((r, snapshot_overall(data) if data else None))
    latest, previous = last_of_trend(last)
    return OverallTrend(points, latest, previous)
