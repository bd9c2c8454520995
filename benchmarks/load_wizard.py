"""Load test: respondents saving wizard steps against gunicorn + PostgreSQL, beside a bare
Django view that writes the same rows (the floor), in one run. Loopback only, bounded in time.

Run with `make loadtest` (PostgreSQL on 127.0.0.1:5432 with trust auth). Prints throughput and
p50/p95 latency; asserts nothing.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PORT = int(os.environ.get("LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
USERS = int(os.environ.get("LOAD_USERS", "200"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))
DB = "klantraat_load"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "KLANTRAAT_BENCH_FLOOR": "1",
    "DJANGO_CONN_MAX_AGE": "60",
    "DJANGO_LOG_LEVEL": "WARNING",
}
SEED = """
import json, datetime as dt
from django.utils import timezone
from cms.demo import ensure_default_model
from scan import services
from scan.models import Organisation, ScanRound
version = ensure_default_model()
org, _ = Organisation.objects.get_or_create(slug="load", defaults={"name": "Load"})
ScanRound.objects.filter(organisation=org).delete()
today = timezone.localdate()
r = services.round_create(organisation=org, title="Load", period="now", opens_on=today, closes_on=today + dt.timedelta(days=5), model_version=version)
services.round_set_status(scan_round=r, status="open")
group = r.groups.get(kind="staff")
out = []
for i in range(%d):
    resp = services.respondent_add(scan_round=r, group=group, email=f"load{i}@example.org")
    out.append((resp.pk, services.respondent_issue_link(resp)))
print("SEED" + json.dumps(out))
"""


def manage(*args: str, stdin: str | None = None) -> str:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def prepare() -> list[tuple[int, str]]:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}"],
        capture_output=True,
        check=False,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DB}"],
        capture_output=True,
        check=True,
    )
    manage("migrate", "--noinput")
    out = manage("shell", stdin=SEED % USERS)
    return json.loads(out.split("SEED", 1)[1])


def run_phase(name: str, make_request, users: list) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def user(index: int):
        session = requests.Session()
        state = make_request(session, users[index], None)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            ok = make_request(session, users[index], state)
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(users))]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 30)
    duration = time.monotonic() - began
    ordered = sorted(latencies)
    return {
        "name": name,
        "requests": len(latencies),
        "errors": errors[0],
        "throughput": len(latencies) / duration,
        "p50": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000 if ordered else float("nan"),
    }


def wizard_step(session, user, state):
    _pk, token = user
    url = f"{BASE}/r/{token}/KV1/"
    if state is None:
        page = session.get(url, timeout=30)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    data = {
        "csrfmiddlewaretoken": state,
        "respondent_wizard-current_step": "KV1",
        "KV1-level__KV1_1": "3",
        "KV1-level__KV1_2": "4",
        "KV1-level__KV1_3": "na",
    }
    response = session.post(
        url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=30
    )
    return response.status_code == 302


def floor(session, user, state):
    if state is None:
        return True
    return session.post(f"{BASE}/bench/floor/{user[0]}/", timeout=30).status_code == 200


def main() -> None:
    users = prepare()
    workers = os.environ.get("LOAD_WORKERS", "4")
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "cms.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            workers,
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                requests.get(f"{BASE}/healthz/", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        results = [
            run_phase("bare view (floor)", floor, users),
            run_phase("wizard step save", wizard_step, users),
        ]
    finally:
        server.terminate()
        server.wait(15)
    print(
        f"Load test: {USERS} concurrent respondents, {SECONDS:.0f} s per phase, gunicorn ({workers} workers x 8 threads) + PostgreSQL"
    )
    print(f"{'':22} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for r in results:
        print(
            f"{r['name']:22} {r['requests']:>9} {r['errors']:>7} {r['throughput']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f}"
        )
    print(
        f"wizard throughput = {results[1]['throughput'] / results[0]['throughput'] * 100:.0f}% of the floor"
    )


if __name__ == "__main__":
    main()
