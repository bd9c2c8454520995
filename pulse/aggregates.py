"""Monthly summaries of the pulse answers (``PulseMonthly``): kept in step with every answer in
the answer's own transaction, rebuilt from the answers on demand, and read by the pages. The
answers' one write path is here too (``responses_add``, ``response_add``, ``responses_remove``),
so storing an answer and counting it cannot come apart.

Adding to a summary row is one ``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``: the
database locks the row it updates, so answers arriving at the same time never lose a count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Count, Max, QuerySet

from .models import PulseMonthly, PulseResponse
from .scoring import DISSATISFIED_MAX, Stats

GRADE = "#grade"
FIELDS = ("n", "total", "squares", "dissatisfied")
KEY_FIELDS = ("organisation_id", "moment_id", "partner_key", "month", "question")
Key = tuple[int, int, int, dt.date, str]  # KEY_FIELDS (a plain tuple: one per answer and driver)


def _add(sums: dict[Key, list[int]], key: Key, value: int, dissatisfied: int, sign: int) -> None:
    row = sums[key]
    row[0] += sign
    row[1] += sign * value
    row[2] += sign * value * value
    row[3] += sign * dissatisfied


def summarise(rows: Iterable[tuple], *, sign: int = 1) -> dict[Key, list[int]]:
    """Sums per summary row of (organisation_id, moment_id, partner_id, month, grade, drivers)
    tuples. A driver counts when answered (yes or no); ``total`` counts the yeses."""
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for organisation_id, moment_id, partner_id, month, grade, drivers in rows:
        base = (organisation_id, moment_id, partner_id or 0, month)
        if grade is not None:
            _add(sums, (*base, GRADE), grade, int(grade <= DISSATISFIED_MAX), sign)
        if isinstance(drivers, dict):
            for code, answer in drivers.items():
                if answer is not None:
                    _add(sums, (*base, str(code)), int(bool(answer)), 0, sign)
    return sums


def _upsert_sql(vendor: str) -> str:
    table = PulseMonthly._meta.db_table
    columns = ", ".join((*KEY_FIELDS, *FIELDS))
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in FIELDS)
    return (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT (organisation_id, moment_id, partner_key, month, question) "
        f"DO UPDATE SET {updates}"
    )


def record(responses: Iterable[PulseResponse], *, using: str = "default", sign: int = 1) -> None:
    """Add answers to (or, with ``sign=-1``, take them from) the monthly summaries. Call inside
    the transaction that stores the answers."""
    sums = summarise(
        (
            (r.organisation_id, r.moment_id, r.partner_id, r.month, r.grade, r.drivers)
            for r in responses
        ),
        sign=sign,
    )
    if not sums:
        return
    connection = connections[using]
    # A fixed order of rows: two transactions never wait for each other's locks in a circle.
    params: list[Any] = [
        (*key, *values) for key, values in sorted(sums.items(), key=lambda kv: kv[0])
    ]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(connection.vendor), params)


def responses_add(
    responses: Iterable[PulseResponse], *, using: str = "default"
) -> list[PulseResponse]:
    """Store answers and add them to the monthly summaries in one transaction: the one way
    answers are stored (``PulseResponse.objects`` refuses writes that would skip this)."""
    with transaction.atomic(using=using):
        made = PulseResponse.summarised.db_manager(using).bulk_create(responses)
        record(made, using=using)
    return made


def response_add(**fields: Any) -> PulseResponse:
    """Store one answer (``responses_add``)."""
    [response] = responses_add([PulseResponse(**fields)])
    return response


def responses_remove(responses: QuerySet[PulseResponse]) -> int:
    """Remove answers and take them from the monthly summaries in one transaction; returns how
    many answers went. The answers are locked first, so one removed twice at the same time
    is taken from the summaries once."""
    using = responses.db
    with transaction.atomic(using=using):
        gone = list(
            PulseResponse.summarised.db_manager(using)
            .select_for_update()
            .filter(pk__in=responses.values("pk"))
        )
        record(gone, using=using, sign=-1)
        PulseResponse.summarised.db_manager(using).filter(pk__in=[r.pk for r in gone]).delete()
    return len(gone)


def rebuild(*, organisation_ids: list[int] | None = None, full: bool = True) -> int:
    """Recompute the summaries from the answers, organisation by organisation, each in its own
    short transaction (answers of other organisations never wait for it). ``full=False`` (the
    nightly run): only the months whose answers changed since the last rebuild, known by a
    fingerprint per month (number of answers, highest id) kept in the shared cache; an
    organisation without one is rebuilt whole. Returns the number of summary rows written."""
    if organisation_ids is None:
        organisation_ids = sorted(
            set(
                PulseResponse.objects.order_by()
                .values_list("organisation_id", flat=True)
                .distinct()
            )
            | set(
                PulseMonthly.objects.order_by().values_list("organisation_id", flat=True).distinct()
            )
        )
    return sum(rebuild_organisation(pk, full=full) for pk in organisation_ids)


def _fingerprint_key(organisation_id: int) -> str:
    return f"pulse:summaries:v1:{organisation_id}"


def _fingerprints(organisation_id: int) -> dict[str, tuple[int, int]]:
    """Per month of the organisation's answers: how many there are and the highest id (an
    answer added, removed or replaced changes one of the two)."""
    rows = (
        PulseResponse.objects.filter(organisation_id=organisation_id)
        .order_by()
        .values_list("month")
        .annotate(count=Count("pk"), last=Max("pk"))
    )
    return {_month(month).isoformat(): (count, last) for month, count, last in rows}


def rebuild_organisation(organisation_id: int, *, full: bool = True) -> int:
    """One organisation's summaries re-summed from its answers (all months, or with
    ``full=False`` the months that changed since the last rebuild), in one short transaction.
    On PostgreSQL the summary table is locked against writers for that moment, so an answer
    stored at the same time is counted exactly once (it waits, then adds itself)."""
    now = _fingerprints(organisation_id)
    before = None if full else cache.get(_fingerprint_key(organisation_id))
    months = None
    if before is not None:
        months = sorted(m for m in set(now) | set(before) if now.get(m) != before.get(m))
        if not months:
            return 0
    answers = PulseResponse.objects.filter(organisation_id=organisation_id)
    summaries = PulseMonthly.objects.filter(organisation_id=organisation_id)
    if months is not None:
        chosen = [dt.date.fromisoformat(m) for m in months]
        answers, summaries = answers.filter(month__in=chosen), summaries.filter(month__in=chosen)
    with transaction.atomic():
        connection = connections[PulseMonthly.objects.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = PulseMonthly._meta.db_table
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        summaries.delete()
        sums = summarise(
            answers.order_by()
            .values_list("organisation_id", "moment_id", "partner_id", "month", "grade", "drivers")
            .iterator(chunk_size=20_000)
        )
        rows = PulseMonthly.objects.bulk_create(
            (
                PulseMonthly(
                    **dict(zip(KEY_FIELDS, key, strict=True)),
                    **dict(zip(FIELDS, values, strict=True)),
                )
                for key, values in sums.items()
                if values[0]  # n: nothing left to count
            ),
            batch_size=5_000,
        )
    cache.set(_fingerprint_key(organisation_id), now, None)
    return len(rows)


class Row(NamedTuple):
    """One monthly summary row as the pages read it."""

    moment_id: int
    partner_key: int  # 0: no contract partner
    month: dt.date
    question: str
    stats: Stats


def _month(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _conditions(
    organisation_id: int, partner_id: int | None, since: dt.date | None
) -> tuple[list[str], list[Any]]:
    """The WHERE terms (and their parameters) for one organisation, optionally one partner and
    the months from ``since``."""
    where = ["organisation_id = %s"]
    params: list[Any] = [organisation_id]
    if partner_id is not None:
        where.append("partner_key = %s")
        params.append(partner_id)
    if since is not None:
        where.append("month >= %s")
        params.append(since)
    return where, params


def summary_rows(
    *,
    organisation_id: int,
    partner_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    moment_ids: list[int] | None = None,
    grades_only: bool = False,
) -> list[Row]:
    """The organisation's summary rows, optionally for one partner (``partner_id``), months from
    ``since`` and before ``until``, some moments, or the grade only. Plain SQL: on a page that
    shows a scorecard this is the one query that grows with the data."""
    table = PulseMonthly._meta.db_table
    where, params = _conditions(organisation_id, partner_id, since)
    where.append("n <> 0")
    if until is not None:
        where.append("month < %s")
        params.append(until)
    if moment_ids is not None:
        if not moment_ids:
            return []
        where.append(f"moment_id IN ({', '.join(['%s'] * len(moment_ids))})")
        params += moment_ids
    if grades_only:
        where.append("question = %s")
        params.append(GRADE)
    sql = (
        f"SELECT moment_id, partner_key, month, question, {', '.join(FIELDS)} FROM {table} "
        f"WHERE {' AND '.join(where)}"
    )
    with connections[PulseMonthly.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Row(moment_id, partner_key, _month(month), question, Stats(n, total, sq, dissatisfied))
            for moment_id, partner_key, month, question, n, total, sq, dissatisfied in cursor
        ]


def driver_sums(
    *, organisation_id: int, partner_id: int | None = None, since: dt.date | None = None
) -> dict[tuple[int, str], tuple[int, int]]:
    """Per (moment, driver code): (answers, yeses) over the months from ``since``, summed by the
    database."""
    table = PulseMonthly._meta.db_table
    where, params = _conditions(organisation_id, partner_id, since)
    where.append("question <> %s")
    params.append(GRADE)
    sql = (
        f"SELECT moment_id, question, SUM(n), SUM(total) FROM {table} "
        f"WHERE {' AND '.join(where)} GROUP BY moment_id, question"
    )
    with connections[PulseMonthly.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {(m, q): (int(n), int(total)) for m, q, n, total in cursor}
