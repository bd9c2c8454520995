"""The figures of the pulse overview and of a partner's scorecard (page, PDF and PowerPoint),
computed from the monthly summaries (``pulse.aggregates``): one computation for all of them.

Disclosure rules as everywhere in the pulse: a mean only from the organisation's threshold, an
interval only from 30 responses, small units rolled up (``scoring.rolled_up``)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Organisation

from .aggregates import Row, driver_sums, summary_rows
from .models import ContractPartner, CustomerMoment, PulseResponse
from .presenters import figure_row
from .scoring import DISSATISFIED_MAX, Stats, figure_from_stats, rolled_up, total

TREND_MONTHS = 12


def year_start(today: dt.date) -> dt.date:
    """The first month the overview and scorecards cover (12 months back and this month)."""
    return today.replace(day=1) - dt.timedelta(days=365)


def shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day clipped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


MOMENTS_SQL = """SELECT m.id, m.code, m.name_nl, m.name_en, q.document
FROM pulse_customermoment m LEFT JOIN pulse_questionnaire q ON q.moment_id = m.id
AND q.number = (SELECT MAX(number) FROM pulse_questionnaire WHERE moment_id = m.id)
WHERE m.organisation_id = %s ORDER BY m.code"""


def _moments(organisation: Organisation) -> tuple[dict[int, CustomerMoment], dict[int, dict]]:
    """The organisation's moments (by code, as everywhere) and their latest questions."""
    moments: dict[int, CustomerMoment] = {}
    documents: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(MOMENTS_SQL, [organisation.pk])
        for pk, code, name_nl, name_en, document in cursor:
            moments[pk] = CustomerMoment(
                pk=pk, organisation=organisation, code=code, name_nl=name_nl, name_en=name_en
            )
            if document is not None:
                documents[pk] = json.loads(document) if isinstance(document, str) else document
    return moments, documents


def _by(rows: list[Row], unit: Callable[[Row], Hashable]) -> dict:
    """The rows' sums per unit (a moment, partner or month)."""
    sums: dict = defaultdict(Stats)
    for row in rows:
        sums[unit(row)] = sums[unit(row)] + row.stats
    return sums


def trend(grades: list[Row], *, threshold: int, months: int = TREND_MONTHS) -> list[dict]:
    """Rolling 12-month figure per month, the last ``months`` months up to the latest month
    with answers (each point covers the 12 months up to it)."""
    if not grades:
        return []
    per_month = _by(grades, lambda row: row.month)
    last = max(per_month)
    points = []
    for offset in range(months - 1, -1, -1):
        end = shift_months(last, -offset)
        start = shift_months(end, -12)
        window = total([s for month, s in per_month.items() if start < month <= end])
        points.append(
            {"month": end, **figure_row("", figure_from_stats(window, threshold=threshold))}
        )
    return points


def _summary(label: str, grades: list[Row], threshold: int) -> dict | None:
    if not grades:
        return None
    return figure_row(
        label, figure_from_stats(total([r.stats for r in grades]), threshold=threshold)
    )


def _drivers(
    grades: list[Row],
    sums: dict[tuple[int, str], tuple[int, int]],
    moments: dict,
    documents: dict,
    language: str,
    threshold: int,
) -> list[dict]:
    """Share of "yes" per driver question of each moment with answers in the period."""
    answered = {r.moment_id for r in grades}
    drivers = []
    for moment in moments.values():
        document = documents.get(moment.pk)
        if document is None or moment.pk not in answered:
            continue
        for driver in document["drivers"]:
            n, yes = sums.get((moment.pk, driver["code"]), (0, 0))
            drivers.append(
                {
                    "moment": moment.name(language),
                    "text": driver["text"].get(language) or driver["text"]["nl"],
                    "pct": round(yes / n * 100) if n and n >= threshold else None,
                }
            )
    return drivers


def _figures(
    grades: list[Row],
    drivers: dict[tuple[int, str], tuple[int, int]],
    moments: dict,
    documents: dict,
    threshold: int,
    today: dt.date,
) -> dict:
    language = translation.get_language() or "nl"
    per_moment = _by(grades, lambda row: row.moment_id)
    moment_rows = []
    for moment_id, figure in rolled_up(
        {str(k): per_moment[k] for k in sorted(per_moment)}, threshold=threshold
    ).items():
        label = (
            moments[int(moment_id)].name(language)
            if moment_id != "__other__"
            else _("Other moments")
        )
        moment_rows.append(figure_row(label, figure))
    start = quarter_start(today)
    return {
        "year": _summary(_("Last 12 months"), grades, threshold),
        "quarter": _summary(_("This quarter"), [r for r in grades if r.month >= start], threshold),
        "moments": moment_rows,
        "trend": trend(grades, threshold=threshold),
        "drivers": _drivers(grades, drivers, moments, documents, language, threshold),
    }


def pulse_figures(
    organisation: Organisation, partner: ContractPartner | None, threshold: int
) -> dict:
    """Everything the overview and a scorecard (page, PDF, PowerPoint) show."""
    today = timezone.localdate()
    where: dict[str, Any] = {
        "organisation_id": organisation.pk,
        "partner_id": None if partner is None else partner.pk,
        "since": year_start(today),
    }
    grades = summary_rows(**where, grades_only=True)
    moments, documents = _moments(organisation)
    return _figures(grades, driver_sums(**where), moments, documents, threshold, today)


def partner_rows(organisation: Organisation, grades: list[Row], threshold: int) -> list[dict]:
    """One row per contract partner (small ones rolled up with the answers without a partner)."""
    per_partner = _by(grades, lambda row: row.partner_key)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, code, name FROM pulse_contractpartner WHERE organisation_id = %s",
            [organisation.pk],
        )
        names = {
            str(pk): ContractPartner(pk=pk, organisation=organisation, code=code, name=name)
            for pk, code, name in cursor
        }
    out = []
    for key, figure in rolled_up(
        {str(k): per_partner[k] for k in sorted(per_partner)}, threshold=threshold
    ).items():
        partner = names.get(key)
        label = partner.name if partner else _("Other partners and own staff")
        out.append({"partner": partner, **figure_row(label, figure)})
    return out


def area_rows(organisation: Organisation, threshold: int, since: dt.date) -> list[dict]:
    """One row per complex or area since ``since`` (one GROUP BY over the answers; the monthly
    summaries leave the area out to stay small). Small areas roll up into "other areas" like
    small partners do; nothing when no event named an area."""
    sums = (
        PulseResponse.objects.filter(organisation=organisation, month__gte=since)
        .values_list("area")
        .annotate(
            n=Count("pk"),
            total=Sum("grade"),
            squares=Sum(F("grade") * F("grade")),
            dissatisfied=Count("pk", filter=Q(grade__lte=DISSATISFIED_MAX)),
        )
        .order_by("area")
    )
    stats = {area: Stats(n, total, squares, unhappy) for area, n, total, squares, unhappy in sums}
    if not any(stats):  # only answers without an area
        return []
    labels = {"__other__": _("Other areas"), "": _("No area given")}
    return [
        figure_row(labels.get(key, key), figure)
        for key, figure in rolled_up(stats, threshold=threshold).items()
    ]


def overview_figures(organisation: Organisation, threshold: int) -> dict:
    """The organisation's overview: its figures and one row per partner, from one read of the
    grade summaries."""
    today = timezone.localdate()
    where: dict[str, Any] = {"organisation_id": organisation.pk, "since": year_start(today)}
    grades = summary_rows(**where, grades_only=True)
    moments, documents = _moments(organisation)
    return {
        "figures": _figures(grades, driver_sums(**where), moments, documents, threshold, today),
        "partners": partner_rows(organisation, grades, threshold),
        "areas": area_rows(organisation, threshold, year_start(today)),
    }


def moment_figures(
    organisation: Organisation,
    *,
    threshold: int,
    since: dt.date,
    until: dt.date | None = None,
    moment_ids: list[int] | None = None,
) -> dict[int, dict]:
    """Per moment with answers in the months from ``since`` (before ``until``): its figure."""
    rows = summary_rows(
        organisation_id=organisation.pk,
        since=since,
        until=until,
        moment_ids=moment_ids,
        grades_only=True,
    )
    return {
        moment_id: {"figure": figure_from_stats(stats, threshold=threshold), "stats": stats}
        for moment_id, stats in _by(rows, lambda row: row.moment_id).items()
    }
