"""Tenant pulse speed: a partner scorecard and the organisation's pulse figures over many
answers, against a plain SQL GROUP BY floor measured in the same run on the same database.

Seeds PULSE_BENCH_ROWS answers (default 200,000 so it finishes in minutes; the issue's figure
is 1,000,000: PULSE_BENCH_ROWS=1000000) across 50 organisations, each working with 8 of 40
contract partner firms, over the last 12 months. Also times ingesting PULSE_BENCH_EVENTS
(default 10,000) events through the same service the API endpoint calls. Uses DATABASE_URL when
set (the target, < 200 ms at p95, is for PostgreSQL), otherwise a fresh SQLite file in the
temporary directory. Printed, never asserted. Run with `make bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
BENCH_DB = Path(tempfile.gettempdir()) / f"klantraat-pulse-bench-{os.getpid()}.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DB}")
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from pulse import services  # noqa: E402
from pulse.models import ContractPartner, CustomerMoment, PulseResponse  # noqa: E402
from pulse.panels import dashboard_panels, months_back  # noqa: E402
from pulse.selectors import threshold_for  # noqa: E402
from pulse.views import pulse_figures  # noqa: E402
from scan.models import Organisation  # noqa: E402

ROWS = int(os.environ.get("PULSE_BENCH_ROWS", "200000"))
EVENTS = int(os.environ.get("PULSE_BENCH_EVENTS", "10000"))
ORGANISATIONS = 50
FIRMS = 40
PARTNERS_PER_ORGANISATION = 8
SAMPLES = 20
BATCH = 20_000


def seed(rng: random.Random) -> list[Organisation]:
    today = timezone.localdate()
    months = [months_back(today, n) for n in range(12)]
    organisations = []
    for index in range(ORGANISATIONS):
        organisation = Organisation.objects.create(
            name=f"Woonstichting {index:02d}", slug=f"bench-{index:02d}"
        )
        services.moments_install_defaults(organisation=organisation)
        for firm in rng.sample(range(FIRMS), PARTNERS_PER_ORGANISATION):
            services.partner_create(organisation=organisation, name=f"Partnerbedrijf {firm:02d}")
        organisations.append(organisation)
    plan = {
        o.pk: (
            [
                (m.pk, m.questionnaires.first().pk)
                for m in CustomerMoment.objects.filter(organisation=o)
            ],
            list(ContractPartner.objects.filter(organisation=o).values_list("pk", flat=True))
            + [None],
        )
        for o in organisations
    }
    made = 0
    while made < ROWS:
        batch = []
        for _ in range(min(BATCH, ROWS - made)):
            org_id = rng.choice(organisations).pk
            moments, partners = plan[org_id]
            moment_id, questionnaire_id = rng.choice(moments)
            batch.append(
                PulseResponse(
                    organisation_id=org_id,
                    moment_id=moment_id,
                    questionnaire_id=questionnaire_id,
                    partner_id=rng.choice(partners),
                    area=f"Complex {rng.randrange(30)}",
                    month=rng.choice(months),
                    grade=max(1, min(10, round(rng.gauss(7.2, 1.7)))),
                    drivers={"eerste_keer_goed": rng.random() < 0.8},
                    effort=rng.randrange(1, 6),
                )
            )
        PulseResponse.objects.bulk_create(batch, batch_size=2_000)
        made += len(batch)
    return organisations


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
        f"{name:<32} {statistics.median(ours) * 1000:>8.1f} {p95(ours) * 1000:>8.1f}"
        f" {p95(base) * 1000:>10.1f} {p95(ours) / p95(base):>7.1f}x"
    )


def main() -> None:
    rng = random.Random(16)
    vendor = connection.vendor
    print(f"Klantraat tenant pulse benchmark ({vendor}, {ROWS:,} answers)")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    organisations = seed(rng)
    print(f"seed: {time.perf_counter() - start:.1f} s")
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=365)

    partners = list(ContractPartner.objects.select_related("organisation"))
    picked = rng.sample(partners, min(SAMPLES, len(partners)))
    orgs = rng.sample(organisations, min(SAMPLES, len(organisations)))
    thresholds = {o.pk: threshold_for(o) for o in organisations}

    print(
        f"\n{'p50/p95 ms over ' + str(SAMPLES) + ' samples':<32} {'p50':>8} {'p95':>8} {'floor p95':>10} {'ratio':>8}"
    )
    ours = timed(
        lambda p: pulse_figures(p.organisation, p, thresholds[p.organisation_id]),
        [(p,) for p in picked],
    )
    base = timed(
        lambda p: floor(FLOOR_PARTNER, [p.organisation_id, p.pk, since]), [(p,) for p in picked]
    )
    report("partner scorecard figures", ours, base)
    ours = timed(lambda o: pulse_figures(o, None, thresholds[o.pk]), [(o,) for o in orgs])
    base = timed(lambda o: floor(FLOOR_ORGANISATION, [o.pk, since]), [(o,) for o in orgs])
    report("organisation pulse figures", ours, base)
    ours = timed(lambda o: dashboard_panels(o, "nl"), [(o,) for o in orgs])
    report("dashboard pulse lines", ours, base)

    today = timezone.localdate()
    items = [
        services.EventInput(
            source_id=f"BENCH-{n}",
            moment="reparatie",
            occurred_on=(today - dt.timedelta(days=1 + n % 20)).isoformat(),
            partner=f"Partnerbedrijf {n % FIRMS:02d}",
            area=f"Complex {n % 30}",
            email=f"huurder{n}@example.nl",
        )
        for n in range(EVENTS)
    ]
    start = time.perf_counter()
    services.events_ingest(organisation=organisations[0], items=items)
    took = time.perf_counter() - start
    print(
        f"\ningest {EVENTS:,} events (the endpoint's service): {took:.2f} s, {EVENTS / took:,.0f} events/s"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if BENCH_DB.exists():
            BENCH_DB.unlink()
