"""The month benchmark (benchmarks/pulse_month.py) runs end to end at a small size: it drives
the pulse's beat task and the outbox's sending task directly, so a renamed or moved function
breaks it, and a benchmark nobody can run measures nothing."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_a_small_month_is_queued_and_sent_through_the_outbox():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PULSE_BENCH_ONLY="month",
        PULSE_MONTH_CORPORATIONS="2",
        PULSE_MONTH_TENANTS="400",
        PULSE_MONTH_WORKERS="1",
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
