"""Tenant pulse speed: a partner scorecard and the organisation's overview over many answers,
against a plain SQL GROUP BY floor on the answers measured in the same run on the same database;
ingesting events through the JSON endpoint; concurrent answers keeping the summaries exact.

With DATABASE_URL pointing at PostgreSQL it creates a database of its own (``<database>_bench``
on the same server, dropped afterwards) and seeds 1,000,000 answers by COPY across 50
organisations, each working with 8 of 40 contract partner firms, over the last 12 months, then
builds the monthly summaries with the nightly rebuild. Without it, a fresh SQLite file in the
temporary directory and 100,000 answers. PULSE_BENCH_ROWS and PULSE_BENCH_EVENTS (default
10,000) change the sizes. Last, a simulated month of invitations queued and sent through the
outbox (benchmarks/pulse_month.py, sized by PULSE_MONTH_*); PULSE_BENCH_ONLY=month runs only
that. Printed, never asserted. Run with `make bench`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
BENCH_DB = Path(tempfile.gettempdir()) / f"klantraat-pulse-bench-{os.getpid()}.sqlite3"
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))


def _bench_name(suffix: str) -> str:
    """A database of the benchmark's own beside the configured one (``<name>_<suffix>``), so
    runs against different databases on one server never drop each other's."""
    name = urlsplit(SERVER_URL).path.lstrip("/") or "klantraat"
    return f"{name}_{suffix}"


BENCH_PG_NAME = os.environ.get("PULSE_BENCH_DB") or _bench_name("bench")


def _pg_admin(statement: str) -> None:
    import psycopg

    parts = urlsplit(SERVER_URL)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


if ON_POSTGRES:
    _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_PG_NAME}")
    _pg_admin(f"CREATE DATABASE {BENCH_PG_NAME}")
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{BENCH_PG_NAME}"))
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from pulse_month import simulated_month  # noqa: E402

from core.models import Organisation  # noqa: E402
from pulse import aggregates, services  # noqa: E402
from pulse.figures import overview_figures, pulse_figures, year_start  # noqa: E402
from pulse.models import ContractPartner, CustomerMoment, PulseMonthly, PulseResponse  # noqa: E402
from pulse.panels import dashboard_panels, months_back  # noqa: E402
from pulse.selectors import threshold_for  # noqa: E402

ROWS = int(os.environ.get("PULSE_BENCH_ROWS", "1000000" if ON_POSTGRES else "100000"))
EVENTS = int(os.environ.get("PULSE_BENCH_EVENTS", "10000"))
EVENTS_PER_REQUEST = 1_000
ORGANISATIONS = 50
FIRMS = 40
PARTNERS_PER_ORGANISATION = 8
SAMPLES = 40
BATCH = 50_000


def organisations_with_partners(rng: random.Random) -> list[Organisation]:
    organisations = []
    for index in range(ORGANISATIONS):
        organisation = Organisation.objects.create(
            name=f"Woonstichting {index:02d}", slug=f"bench-{index:02d}"
        )
        services.moments_install_defaults(organisation=organisation)
        for firm in rng.sample(range(FIRMS), PARTNERS_PER_ORGANISATION):
            services.partner_create(organisation=organisation, name=f"Partnerbedrijf {firm:02d}")
        organisations.append(organisation)
    return organisations


def answer_rows(rng: random.Random, organisations: list[Organisation]):
    """Random answers: (organisation, moment, questionnaire, partner, area, month, grade,
    drivers, effort), batch by batch."""
    today = timezone.localdate()
    months = [months_back(today, n) for n in range(12)]
    plan = {}
    for o in organisations:
        moments = []
        for m in CustomerMoment.objects.filter(organisation=o).prefetch_related("questionnaires"):
            questionnaire = m.questionnaires.all()[0]
            codes = [d["code"] for d in questionnaire.document["drivers"]]
            moments.append((m.pk, questionnaire.pk, codes))
        partners = list(ContractPartner.objects.filter(organisation=o).values_list("pk", flat=True))
        plan[o.pk] = (moments, partners + [None])
    org_ids = list(plan)
    made = 0
    while made < ROWS:
        batch = []
        for _ in range(min(BATCH, ROWS - made)):
            org_id = rng.choice(org_ids)
            moments, partners = plan[org_id]
            moment_id, questionnaire_id, codes = rng.choice(moments)
            drivers = {c: rng.random() < 0.8 for c in codes if rng.random() < 0.9}
            batch.append(
                (
                    org_id,
                    moment_id,
                    questionnaire_id,
                    rng.choice(partners),
                    f"Complex {rng.randrange(30)}",
                    rng.choice(months),
                    max(1, min(10, round(rng.gauss(7.2, 1.7)))),
                    drivers,
                    rng.randrange(1, 6),
                )
            )
        made += len(batch)
        yield batch


COLUMNS = (
    "organisation_id",
    "moment_id",
    "questionnaire_id",
    "partner_id",
    "area",
    "month",
    "grade",
    "drivers",
    "effort",
)


def seed_answers(rng: random.Random, organisations: list[Organisation]) -> None:
    """PostgreSQL: COPY, then the summaries by the nightly rebuild (timed). SQLite: the
    answers' write path, which keeps the summaries as it goes."""
    if not ON_POSTGRES:
        for batch in answer_rows(rng, organisations):
            aggregates.responses_add(
                [PulseResponse(**dict(zip(COLUMNS, row, strict=True))) for row in batch]
            )
        return
    table = PulseResponse._meta.db_table
    with connection.cursor() as cursor:
        for batch in answer_rows(rng, organisations):
            buffer = io.StringIO()
            for row in batch:
                values = list(row)
                values[3] = "\\N" if values[3] is None else values[3]
                values[7] = json.dumps(values[7])
                buffer.write("\t".join(str(v) for v in values) + "\t\n")
            sql = f"COPY {table} ({', '.join(COLUMNS)}, open_answer) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                copy.write(buffer.getvalue())
        cursor.execute(f"ANALYZE {table}")
    start = time.perf_counter()
    rows = aggregates.rebuild()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PulseMonthly._meta.db_table}")
    print(
        f"summaries rebuilt from the answers: {rows:,} rows in {time.perf_counter() - start:.1f} s"
    )


def timed(fn, args_list) -> list[float]:
    fn(*args_list[0])  # warm-up: the first call loads translations and templates
    times = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


FLOOR_PARTNER = """SELECT moment_id, AVG(grade), COUNT(*), SUM(CASE WHEN grade <= 5 THEN 1 ELSE 0 END)
FROM pulse_pulseresponse WHERE organisation_id = %s AND partner_id = %s AND month >= %s
GROUP BY moment_id"""
FLOOR_ORGANISATION = """SELECT moment_id, partner_id, AVG(grade), COUNT(*),
SUM(CASE WHEN grade <= 5 THEN 1 ELSE 0 END)
FROM pulse_pulseresponse WHERE organisation_id = %s AND month >= %s
GROUP BY moment_id, partner_id"""


def floor(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def report(name: str, ours: list[float], base: list[float]) -> None:
    print(
        f"{name:<34} {statistics.median(ours) * 1000:>8.1f} {p95(ours) * 1000:>8.1f}"
        f" {p95(base) * 1000:>10.1f} {p95(ours) / p95(base):>7.1f}x"
    )


def ingest(organisation: Organisation) -> None:
    """EVENTS events through POST /api/v1/pulse/events, EVENTS_PER_REQUEST per request."""
    _, token = services.ingest_token_create(organisation=organisation, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    today = timezone.localdate()
    payloads = []
    for first in range(0, EVENTS, EVENTS_PER_REQUEST):
        payloads.append(
            json.dumps(
                {
                    "events": [
                        {
                            "source_id": f"BENCH-{n}",
                            "moment": "reparatie",
                            "date": (today - dt.timedelta(days=1 + n % 20)).isoformat(),
                            "partner": f"Partnerbedrijf {n % FIRMS:02d}",
                            "area": f"Complex {n % 30}",
                            "email": f"huurder{n}@example.nl",
                        }
                        for n in range(first, min(first + EVENTS_PER_REQUEST, EVENTS))
                    ]
                }
            )
        )
    start = time.perf_counter()
    for payload in payloads:
        response = client.post(
            "/api/v1/pulse/events", payload, content_type="application/json", secure=True
        )
        if response.status_code != 200:
            raise SystemExit(f"ingest failed: {response.status_code} {response.content[:300]!r}")
    took = time.perf_counter() - start
    print(
        f"ingest {EVENTS:,} events by POST /api/v1/pulse/events"
        f" ({EVENTS_PER_REQUEST:,} a request): {took:.2f} s, {EVENTS / took:,.0f} events/s"
    )


def concurrent_answers(organisation: Organisation, threads: int = 4, each: int = 100) -> None:
    """Answers for the same summary row from several connections at once: none may be lost."""
    moment = CustomerMoment.objects.filter(organisation=organisation).first()
    assert moment is not None
    questionnaire = moment.questionnaires.first()
    month = dt.date(2000, 1, 1)
    barrier = threading.Barrier(threads)

    def work(offset: int) -> None:
        barrier.wait()
        try:
            for n in range(each):
                with transaction.atomic():
                    aggregates.response_add(
                        organisation=organisation,
                        moment=moment,
                        questionnaire=questionnaire,
                        month=month,
                        grade=1 + (offset + n) % 10,
                        drivers={"eerste_keer_goed": n % 2 == 0},
                    )
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stored = PulseResponse.objects.filter(organisation=organisation, month=month).count()
    counted = PulseMonthly.objects.get(
        organisation=organisation, moment=moment, partner_key=0, month=month, question="#grade"
    ).n
    print(
        f"concurrent answers ({threads} connections): {stored} stored, {counted} counted"
        f" in the summary{'' if stored == counted else '  << LOST COUNTS'}"
    )


def main() -> None:
    rng = random.Random(16)
    vendor = connection.vendor
    where = f"PostgreSQL database {BENCH_PG_NAME}" if ON_POSTGRES else "SQLite"
    print(f"Klantraat tenant pulse benchmark ({where}, {ROWS:,} answers)")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.1f} s")
    if os.environ.get("PULSE_BENCH_ONLY") == "month":
        simulated_month()
        return
    start = time.perf_counter()
    organisations = organisations_with_partners(rng)
    seed_answers(rng, organisations)
    print(f"seed ({vendor}): {time.perf_counter() - start:.1f} s")
    since = year_start(timezone.localdate())

    partners = list(ContractPartner.objects.select_related("organisation"))
    picked = rng.sample(partners, min(SAMPLES, len(partners)))
    orgs = [organisations[i % len(organisations)] for i in range(SAMPLES)]
    thresholds = {o.pk: threshold_for(o) for o in organisations}

    print(
        f"\n{'ms, ' + str(SAMPLES) + ' samples each':<34} {'p50':>8} {'p95':>8} {'floor p95':>10} {'ratio':>8}"
    )
    for _ in range(2):  # the second round is the one that counts: caches warm for both
        scorecard = timed(
            lambda p: pulse_figures(p.organisation, p, thresholds[p.organisation_id]),
            [(p,) for p in picked],
        )
        partner_floor = timed(
            lambda p: floor(FLOOR_PARTNER, [p.organisation_id, p.pk, since]),
            [(p,) for p in picked],
        )
        overview = timed(lambda o: overview_figures(o, thresholds[o.pk]), [(o,) for o in orgs])
        dashboard = timed(lambda o: dashboard_panels(o, "nl"), [(o,) for o in orgs])
        organisation_floor = timed(
            lambda o: floor(FLOOR_ORGANISATION, [o.pk, since]), [(o,) for o in orgs]
        )
    report("partner scorecard figures", scorecard, partner_floor)
    report("organisation overview figures", overview, organisation_floor)
    report("dashboard pulse lines", dashboard, organisation_floor)
    print()
    ingest(organisations[0])
    if ON_POSTGRES:  # SQLite writes one transaction at a time anyway
        concurrent_answers(organisations[1])
    simulated_month()


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if ON_POSTGRES:
            _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_PG_NAME} WITH (FORCE)")
        elif BENCH_DB.exists():
            BENCH_DB.unlink()
