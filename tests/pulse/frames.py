"""The pulse's figures straight from a DataFrame of raw answers, with pandas: the reference
the summary-based figures of ``pulse.figures`` are compared with. The rules themselves
(``Stats``, ``figure_from_stats``, ``rolled_up``) are the production ones."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.models import Organisation
from pulse.models import ContractPartner, PulseResponse
from pulse.scoring import DISSATISFIED_MAX, GradeFigure, Stats, figure_from_stats, rolled_up

COLUMNS = ["moment_id", "partner_id", "area", "month", "grade", "drivers", "effort"]


def responses_frame(
    *,
    organisation: Organisation,
    partner: ContractPartner | None = None,
    since: dt.date | None = None,
    moment_codes: list[str] | None = None,
) -> pd.DataFrame:
    qs = PulseResponse.objects.filter(organisation=organisation)
    if partner is not None:
        qs = qs.filter(partner=partner)
    if since is not None:
        qs = qs.filter(month__gte=since)
    if moment_codes:
        qs = qs.filter(moment__code__in=moment_codes)
    return pd.DataFrame.from_records(list(qs.values_list(*COLUMNS)), columns=COLUMNS)


def stats_of(grades: pd.Series) -> Stats:
    values = [int(g) for g in grades.dropna()]
    return Stats(
        len(values),
        sum(values),
        sum(v * v for v in values),
        sum(1 for v in values if v <= DISSATISFIED_MAX),
    )


def grade_figure(grades: pd.Series, *, threshold: int) -> GradeFigure:
    return figure_from_stats(stats_of(grades), threshold=threshold)


def figures_by(frame: pd.DataFrame, column: str, *, threshold: int) -> dict[str, GradeFigure]:
    """``rolled_up`` straight from a DataFrame of answers, one unit per value of ``column``."""
    if frame.empty:
        return {}
    stats = {str(key): stats_of(part["grade"]) for key, part in frame.groupby(column, dropna=False)}
    return rolled_up(stats, threshold=threshold)


def monthly_trend(frame: pd.DataFrame, *, threshold: int, months: int = 12) -> list[dict]:
    """Rolling 12-month mean per month (each point covers the 12 months up to it)."""
    if frame.empty:
        return []
    frame = frame.assign(month=pd.to_datetime(frame["month"]))
    last = frame["month"].max()
    points = []
    for offset in range(months - 1, -1, -1):
        end = last - pd.DateOffset(months=offset)
        window = frame[(frame["month"] > end - pd.DateOffset(months=12)) & (frame["month"] <= end)]
        figure = grade_figure(window["grade"], threshold=threshold)
        points.append({"month": end.date(), "figure": figure})
    return points


def driver_shares(
    frame: pd.DataFrame, codes: list[str], *, threshold: int
) -> dict[str, float | None]:
    """Share of "yes" per driver question, from the respondents who answered it."""
    out: dict[str, float | None] = {}
    for code in codes:
        answers = frame["drivers"].map(lambda d, c=code: d.get(c) if isinstance(d, dict) else None)
        answers = answers.dropna()
        out[code] = float(answers.astype(bool).mean()) if answers.size >= threshold else None
    return out
