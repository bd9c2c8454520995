"""The month benchmark (benchmarks/pulse_month.py) runs end to end at a small size: it drives
the pulse's beat task and the outbox's sending task directly, so a renamed or moved function
breaks it, and a benchmark nobody can run measures nothing. On PostgreSQL it runs there, in a
scratch database of its own, with the stand-in for autovacuum analysing often."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_a_small_month_is_queued_and_sent_through_the_outbox():
    on_postgres = connection.vendor == "postgresql"
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_SETTINGS_MODULE" and (on_postgres or key != "DATABASE_URL")
    }
    env.update(
        PULSE_BENCH_ONLY="month",
        PULSE_BENCH_DB=f"klantraat_month_test_{os.getpid()}",
        PULSE_MONTH_CORPORATIONS="2",
        PULSE_MONTH_TENANTS="400",
        PULSE_MONTH_WORKERS="1",
        PULSE_MONTH_ANALYZE_EVERY="0.05",
    )
    done = subprocess.run(
        [sys.executable, "benchmarks/pulse_bench.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    queued = next(line for line in done.stdout.splitlines() if line.startswith("queue ("))
    sent = next(line for line in done.stdout.splitlines() if line.startswith("send ("))
    invitations = int(queued.split("(beat task, ")[1].split(" ")[0].replace(",", ""))
    assert invitations > 0
    assert sent.startswith(f"send ({invitations:,} through the outbox")
    if on_postgres:
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            autovacuum = cursor.fetchone()[0]
        if autovacuum == "off":  # the stand-in ran, on the tables that exist
            stood_in = next(line for line in done.stdout.splitlines() if "stood in" in line)
            assert int(stood_in.split("(")[1].split(" ")[0]) >= 1
