"""Results on a real database: closing a 10,000-respondent round (its release), the results
page of that round as the first request of a fresh process (cold) and again (warm), and the
consultant's sector view over 300 organisations, each beside a plain SQL floor measured in the
same run on the same database.

With DATABASE_URL pointing at PostgreSQL it creates a database of its own
(``<database>_results_bench``, dropped afterwards); without it a fresh SQLite file.
RESULTS_BENCH_RESPONDENTS (default 10,000) and RESULTS_BENCH_ORGANISATIONS (default 300)
change the sizes. Printed, never asserted. Run with `make bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
PAGE = len(sys.argv) == 4 and sys.argv[1] == "--page"  # the cold page, in a child process
SERVER_URL = os.environ.get("KLANTRAAT_BENCH_SERVER", os.environ.get("DATABASE_URL", ""))
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))


def _bench_name(suffix: str) -> str:
    """A database of the benchmark's own beside the configured one (``<name>_<suffix>``), so
    runs against different databases on one server never drop each other's."""
    name = urlsplit(SERVER_URL).path.lstrip("/") or "klantraat"
    return f"{name}_{suffix}"


BENCH_PG_NAME = _bench_name("results_bench")
BENCH_DB = Path(tempfile.gettempdir()) / "klantraat-results-bench.sqlite3"


def _pg_admin(statement: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(SERVER_URL)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


if not PAGE:
    if ON_POSTGRES:
        _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_PG_NAME} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {BENCH_PG_NAME}")
        os.environ["KLANTRAAT_BENCH_SERVER"] = SERVER_URL
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(SERVER_URL)._replace(path=f"/{BENCH_PG_NAME}")
        )
    else:
        BENCH_DB.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from scoring_bench import best_of  # noqa: E402  (this folder is on the path)

RESPONDENTS = int(os.environ.get("RESULTS_BENCH_RESPONDENTS", "10000"))
ORGANISATIONS = int(os.environ.get("RESULTS_BENCH_ORGANISATIONS", "300"))


def cold_page(url: str, email: str) -> None:
    """In a fresh process: the first request to the results page, then a second one."""
    from cms.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    times = []
    for _ in range(2):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    print(json.dumps({"cold": times[0], "warm": times[1]}))


def seed_round(version, organisation):
    """A closed-to-be round with RESPONDENTS submitted respondents answering every statement."""
    import numpy as np

    from scan import services
    from scan.models import Answer, Respondent, RoundStatus
    from scan.selectors import model_doc

    today = timezone.localdate()
    scan_round = services.round_create(
        organisation=organisation,
        title="Benchmark",
        period="2026",
        opens_on=today - timezone.timedelta(days=10),
        closes_on=today + timezone.timedelta(days=10),
        model_version=version,
    )
    scan_round.status = RoundStatus.OPEN
    scan_round.save(update_fields=["status"])
    groups = list(scan_round.groups.all())
    doc = model_doc(scan_round)
    rng = np.random.default_rng(7)
    now = timezone.now()
    people = Respondent.objects.bulk_create(
        [
            Respondent(
                round=scan_round,
                group=groups[i % len(groups)],
                email=f"r{i}@bench.example",
                department=("Wonen", "Vastgoed", "Klantcontact", "")[i % 4],
                submitted_at=now,
            )
            for i in range(RESPONDENTS)
        ],
        batch_size=2000,
    )
    batch = []
    for person in people:
        kind = person.group.kind
        for statement in doc.statements:
            if not statement.asks(kind):
                continue
            level = int(rng.integers(0, 6))
            batch.append(
                Answer(respondent=person, statement_code=statement.code, level=level or None)
            )
        if len(batch) > 20000:
            Answer.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Answer.objects.bulk_create(batch, batch_size=5000)
    return scan_round


def sql_floor(scan_round) -> float:
    query = (
        "SELECT r.group_id, a.statement_code, AVG(a.level), COUNT(a.level), "
        "COUNT(DISTINCT a.respondent_id) FROM scan_answer a JOIN scan_respondent r "
        "ON r.id = a.respondent_id WHERE r.round_id = %s GROUP BY r.group_id, a.statement_code"
    )

    def run():
        with connection.cursor() as cursor:
            cursor.execute(query, [scan_round.pk])
            cursor.fetchall()

    return best_of(run)


def seed_sector(version, data: dict) -> None:
    """ORGANISATIONS organisations, each with a closed round and its release."""
    import random

    from core.models import Organisation
    from honeycomb.models import Release
    from scan.models import RoundStatus, ScanRound

    rng = random.Random(3)
    today = timezone.localdate()
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Corporatie {i}", slug=f"corporatie-{i}") for i in range(ORGANISATIONS)]
    )
    rounds = ScanRound.objects.bulk_create(
        [
            ScanRound(
                organisation=org,
                title="Scan",
                period="2026",
                opens_on=today - timezone.timedelta(days=60),
                closes_on=today - timezone.timedelta(days=30),
                model_version=version,
                status=RoundStatus.CLOSED,
            )
            for org in orgs
        ]
    )
    Release.objects.bulk_create(
        [
            Release(round=r, number=1, kind="closing", data=data, overall=rng.uniform(2, 4))
            for r in rounds
        ]
    )


def main() -> None:
    from cms.demo.rounds import ensure_default_model
    from core.models import Organisation, Role
    from honeycomb.models import Release
    from scan import services
    from scan.models import RoundStatus
    from tests import factories

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    version = ensure_default_model()
    organisation = Organisation.objects.create(name="Woonstichting Bench", slug="bench")
    director = factories.member(organisation, Role.DIRECTOR, email="directeur@bench.example")
    print(f"Results on {vendor}: {RESPONDENTS:,} respondents, {ORGANISATIONS} organisations")
    start = time.perf_counter()
    with transaction.atomic():
        scan_round = seed_round(version, organisation)
    print(f"seeded the round in {time.perf_counter() - start:.1f} s")
    floor = sql_floor(scan_round)
    start = time.perf_counter()
    services.round_set_status(scan_round=scan_round, status=RoundStatus.CLOSED)
    closing = time.perf_counter() - start
    print(f"{'what':<44} {'seconds':>9} {'x floor':>8}")
    print(f"{'SQL floor: GROUP BY group, statement':<44} {floor:>9.3f} {1:>7.1f}x")
    print(f"{'closing the round (its release)':<44} {closing:>9.3f} {closing / floor:>7.1f}x")
    url = f"/org/bench/rounds/{scan_round.pk}/results/"
    out = subprocess.run(
        [sys.executable, __file__, "--page", url, director.email],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    ).stdout
    page = json.loads(out.strip().splitlines()[-1])
    print(
        f"{'results page, first request of a new process':<44} {page['cold']:>9.3f} {page['cold'] / floor:>7.1f}x"
    )
    print(
        f"{'results page, second request':<44} {page['warm']:>9.3f} {page['warm'] / floor:>7.1f}x"
    )

    seed_sector(version, Release.objects.get(round=scan_round).data)
    from actions.portfolio import sector_comparison

    times = []
    for _ in range(30):
        start = time.perf_counter()
        sector = sector_comparison()
        times.append(time.perf_counter() - start)
    assert sector and sector["n"] >= ORGANISATIONS

    def floor_sector():
        with connection.cursor() as cursor:
            cursor.execute("SELECT AVG(overall), MIN(overall), MAX(overall) FROM honeycomb_release")
            cursor.fetchall()

    sector_floor = best_of(floor_sector)
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
    print(
        f"sector view over {sector['n']} organisations: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
        f" (floor {sector_floor * 1000:.1f} ms, p95 {p95 / sector_floor:.1f}x)"
    )


if __name__ == "__main__":
    if PAGE:
        cold_page(sys.argv[2], sys.argv[3])
    else:
        try:
            main()
        finally:
            connection.close()
            if ON_POSTGRES:
                _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_PG_NAME} WITH (FORCE)")
            else:
                BENCH_DB.unlink(missing_ok=True)
