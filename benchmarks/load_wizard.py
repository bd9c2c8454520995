"""Load test: respondents saving wizard steps against gunicorn + PostgreSQL, beside a bare
Django view that does the same database work (the floor), in one run. The floor looks the link
up with the same query, locks the respondent's row and writes the same rows with the same
upsert, and answers with the same redirect (302, empty body, same Location length); it skips
only the wizard's own work: checks, form, model document.

Loopback only and bounded in time. The load comes from wrk (Debian's package, written in C),
so the client takes little of the two cores the server needs. Run with `make loadtest`
(PostgreSQL on 127.0.0.1:5432 with trust auth). Two measurements, both for floor and wizard:

1. Saturation: 200 connections send without pause. Throughput is the capacity; latency here
   is only queueing (Little's law: 200 in flight / throughput), so it is not the user's view.
2. Respondents: 200 respondents, each pausing between steps (LOAD_THINK_MS, default 2 s,
   jittered ±50 %). Real respondents read a cell's descriptors and answer three or four
   statements, which takes far longer; 2 s is deliberately harsh. Latency here is what a
   respondent feels.

3. A crowd: LOAD_CROWD respondents (default 1,000) at respondent pace, a step every
   LOAD_PACE_MS (default 10 s, jittered ±50 %; the first step too, so they arrive spread
   out), floor and wizard, for LOAD_CROWD_SECONDS (default 60). The wizard's p95 is printed
   beside the floor's p95 of the same run.
4. Viewers: LOAD_VIEWERS people (default 50) signed in, each opening the results page of a
   closed round (its stored release) or the dashboard every LOAD_VIEW_THINK_MS (default 5 s,
   jittered ±50 %), beside a viewer floor in the same run: a bare signed-in view that checks
   the membership, reads the round's latest release and answers with as many bytes as the
   larger of the two pages (cms.views.bench_view_floor).

LOAD_PARTS=viewers runs only the viewers (no respondents are seeded); the default runs all.
The workers share one cache, Redis, as in production (LOAD_CACHE_URL, emptied at the start);
each worker has done at start what cms.wsgi does before a first request (cms/warmup.py).

Prints throughput and p50/p95 latency; asserts nothing.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PORT = int(os.environ.get("LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
USERS = int(os.environ.get("LOAD_USERS", "200"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
THINK_MS = int(os.environ.get("LOAD_THINK_MS", "2000"))
CROWD = int(os.environ.get("LOAD_CROWD", "1000"))
PACE_MS = int(os.environ.get("LOAD_PACE_MS", "10000"))
CROWD_SECONDS = int(os.environ.get("LOAD_CROWD_SECONDS", "60"))
VIEWERS = int(os.environ.get("LOAD_VIEWERS", "50"))
VIEW_THINK_MS = int(os.environ.get("LOAD_VIEW_THINK_MS", "5000"))
VIEW_SECONDS = int(os.environ.get("LOAD_VIEW_SECONDS", "30"))
RELEASE_RESPONDENTS = int(os.environ.get("LOAD_RELEASE_RESPONDENTS", "1000"))
WORKERS = os.environ.get("LOAD_WORKERS", "4")
THREADS = os.environ.get("LOAD_THREADS", "2")
DB = os.environ.get("LOAD_DB", "klantraat_load")
PARTS = os.environ.get("LOAD_PARTS", "all")  # "all", or "viewers" for the viewers alone


def shared_cache_url() -> str:
    """The cache every gunicorn worker shares, as production has it (Redis; LOAD_CACHE_URL,
    default database 15 of the local server), emptied so the run starts cold. Without a
    reachable Redis each worker keeps its own cache, and the report says so."""
    url = os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception:  # noqa: BLE001 (no server, or not Redis: the per-process cache)
        return "locmemcache://klantraat-load"
    return url


CACHE_URL = shared_cache_url()
CACHE_NAME = "shared Redis cache" if CACHE_URL.startswith("redis") else "a cache per worker"
ENV = {
    **os.environ,
    "CACHE_URL": CACHE_URL,
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
from core.models import Organisation
from scan.models import ScanRound
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
# A closed round with its release, and a director signed in to read it (a session cookie).
SEED_VIEWERS = """
import json, datetime as dt
import numpy as np
from django.conf import settings
from django.test import Client
from django.utils import timezone
from cms.demo import ensure_default_model
from scan import services
from core.models import Organisation, Role
from scan.models import Answer, Respondent, RoundStatus, ScanRound
from scan.selectors import model_doc
from tests import factories
version = ensure_default_model()
org, _ = Organisation.objects.get_or_create(slug="view", defaults={"name": "View"})
ScanRound.objects.filter(organisation=org).delete()
today = timezone.localdate()
r = services.round_create(organisation=org, title="View", period="2026", opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=10), model_version=version)
r.status = RoundStatus.OPEN
r.save(update_fields=["status"])
groups = list(r.groups.all())
doc = model_doc(r)
rng = np.random.default_rng(7)
now = timezone.now()
people = Respondent.objects.bulk_create([Respondent(round=r, group=groups[i %% len(groups)], email=f"view{i}@example.org", department=("Wonen", "Vastgoed", "")[i %% 3], submitted_at=now) for i in range(%d)])
Answer.objects.bulk_create([Answer(respondent=p, statement_code=s.code, level=int(rng.integers(1, 6))) for p in people for s in doc.statements if s.asks(p.group.kind)], batch_size=5000)
services.round_set_status(scan_round=r, status=RoundStatus.CLOSED)
user = factories.member(org, Role.DIRECTOR, email="view-director@example.org")
client = Client()
client.force_login(user)
cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print("VIEW" + json.dumps({"results": f"/org/view/rounds/{r.pk}/results/", "dashboard": "/org/view/cycle/dashboard/", "floor": f"/bench/view-floor/{r.pk}/", "cookie": cookie}))
"""

# Both wrk scripts end alike: a think time around the pace, and one RESULT line for Python.
WRK_TAIL = r"""
function delay()
  if think <= 0 then return 0 end
  return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(counters) do wrong = wrong + thread:get("bad") end
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f\n",
    summary.requests, summary.duration, wrong,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""

VIEW_SCRIPT = (
    r"""
local path = os.getenv("LOAD_VIEW_PATH")
local cookie = os.getenv("LOAD_VIEW_COOKIE")
local think = tonumber(os.getenv("LOAD_THINK_MS")) or 0
bad = 0
local counters = {}

function setup(thread)
  table.insert(counters, thread)
  thread:set("id", #counters)
end

function init(args)
  math.randomseed(id * 7919)
end

function request()
  return wrk.format("GET", path, {["Cookie"] = cookie})
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

"""
    + WRK_TAIL
)

COUNT_ANSWERS = """
from scan.models import Answer
print("COUNT", Answer.objects.filter(respondent__round__organisation__slug="load").count())
"""

# wrk script: each thread walks its own share of the respondents round-robin, so two requests
# for one respondent are (almost) never in flight together, as with real people.
WRK_SCRIPT = (
    r"""
local users = {}
local next_user = 1
local expected = tonumber(os.getenv("LOAD_EXPECT"))
local think = tonumber(os.getenv("LOAD_THINK_MS")) or 0
local mode = os.getenv("LOAD_MODE")
bad = 0  -- global: done() reads it from every thread
local counters = {}

function setup(thread)
  table.insert(counters, thread)
  thread:set("id", #counters)
  thread:set("threads", tonumber(os.getenv("LOAD_WRK_THREADS")))
end

function init(args)
  local i = 0
  for line in io.lines(os.getenv("LOAD_USERS_FILE")) do
    if i % threads == id - 1 then
      local pk, token, cookie, csrf = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
      table.insert(users, {pk = pk, token = token, cookie = cookie, csrf = csrf})
    end
    i = i + 1
  end
  math.randomseed(id * 7919)
end

function request()
  local u = users[next_user]
  next_user = next_user % #users + 1
  if mode == "floor" then
    return wrk.format("POST", "/bench/floor/" .. u.token .. "/")
  end
  local path = "/r/" .. u.token .. "/KV1/"
  local body = "csrfmiddlewaretoken=" .. u.csrf
    .. "&respondent_wizard-current_step=KV1"
    .. "&KV1-level__KV1_1=3&KV1-level__KV1_2=4&KV1-level__KV1_3=na"
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. u.cookie,
  }, body)
end

function response(status, headers, body)
  if status ~= expected then bad = bad + 1 end
end

"""
    + WRK_TAIL
)


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


def psql(sql: str, check: bool = True) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], capture_output=True, check=check
    )


def prepare() -> tuple[list[tuple[int, str]], dict]:
    if not os.environ.get("LOAD_REUSE_DB"):  # set it to keep a migrated database between runs
        psql(f"DROP DATABASE IF EXISTS {DB}", check=False)
        psql(f"CREATE DATABASE {DB}")
    manage("migrate", "--noinput")
    out = manage("shell", stdin=SEED % max(USERS, CROWD)) if PARTS == "all" else "SEED[]"
    view = manage("shell", stdin=SEED_VIEWERS % RELEASE_RESPONDENTS)
    return json.loads(out.split("SEED", 1)[1]), json.loads(view.split("VIEW", 1)[1])


def csrf_pair(token: str) -> tuple[str, str]:
    """Open the step page as a browser would: the CSRF cookie and the form's token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{BASE}/r/{token}/KV1/", timeout=30).read().decode()
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return cookie, form_token


def wait_for_server() -> None:
    deadline = time.monotonic() + 180  # a busy machine can take a while to import Django
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/healthz/", timeout=10).read()
            return
        except OSError:  # URLError, refused, timed out
            time.sleep(0.5)
    raise SystemExit("The server did not start.")


def run_wrk(
    mode: str,
    think_ms: int,
    users_file: Path,
    script: Path,
    *,
    connections: int = USERS,
    seconds: int = SECONDS,
    extra: dict | None = None,
) -> dict:
    threads = 2
    env = {
        **os.environ,
        "LOAD_USERS_FILE": str(users_file),
        "LOAD_MODE": mode,
        "LOAD_EXPECT": "302",  # both answer with the redirect to the next step
        "LOAD_THINK_MS": str(think_ms),
        "LOAD_WRK_THREADS": str(threads),
        **(extra or {}),
    }
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            BASE,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"wrk failed: {out.stderr or out.stdout}")
    out = out.stdout
    line = next(row for row in out.splitlines() if row.startswith("RESULT"))
    requests, duration_us, wrong, socket_errors, p50, p95 = line.split()[1:]
    return {
        "requests": int(requests),
        "throughput": int(requests) / (int(duration_us) / 1e6),
        "errors": int(wrong) + int(socket_errors),
        "p50": float(p50),
        "p95": float(p95),
    }


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (make loadtest does this).")
    users, view = prepare()
    server = subprocess.Popen(
        [
            PY,  # this interpreter, whatever the gunicorn script's first line names
            "-m",
            "gunicorn",
            "cms.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            WORKERS,
            "--threads",
            THREADS,
            "--worker-class",
            "gthread",
            "--backlog",
            "1024",
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    work = Path(tempfile.mkdtemp(prefix="klantraat-load-"))
    try:
        wait_for_server()
        if PARTS == "viewers":
            viewers = run_viewers(work / "users.tsv", work / "view.lua", view)
            report_viewers(viewers, title=True)
            return
        users_file = work / "users.tsv"
        users_file.write_text(
            "".join("\t".join((str(pk), token, *csrf_pair(token))) + "\n" for pk, token in users)
        )
        script = work / "wizard.lua"
        script.write_text(WRK_SCRIPT)
        results = []
        for phase, think in (("saturation", 0), ("respondents", THINK_MS)):
            for mode in ("floor", "wizard"):
                results.append((phase, mode, run_wrk(mode, think, users_file, script)))
        crowd = crowd_and_viewers(users_file, script, work / "view.lua", view)
        saved = int(manage("shell", stdin=COUNT_ANSWERS).split("COUNT", 1)[1])
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(15)
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"Load test: {USERS} concurrent respondents, {SECONDS} s per run, gunicorn "
        f"({WORKERS} workers x {THREADS} threads, {CACHE_NAME}) + PostgreSQL, wrk on the same"
        " 2 cores"
    )
    print(
        f"{'':12} {'':6} {'think':>6} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
    )
    for phase, mode, r in results:
        think = "0" if phase == "saturation" else f"{THINK_MS / 1000:.0f} s"
        print(
            f"{phase:12} {mode:6} {think:>6} {r['requests']:>9} {r['errors']:>7} "
            f"{r['throughput']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f}"
        )
    by = {(phase, mode): r for phase, mode, r in results}
    ratio = by["saturation", "wizard"]["throughput"] / by["saturation", "floor"]["throughput"]
    print(f"wizard step-save capacity = {ratio * 100:.0f}% of the floor (target >= 50%)")
    print(
        f"wizard p95 with {USERS} respondents = {by['respondents', 'wizard']['p95']:.0f} ms "
        "(target < 150 ms)"
    )
    print(f"answers in the database after the run: {saved} (3 per respondent: {len(users) * 3})")
    report_crowd_and_viewers(crowd)


def crowd_and_viewers(users_file: Path, script: Path, view_script: Path, view: dict) -> dict:
    """The crowd at respondent pace (floor, then wizard, in this run) and the viewers of a
    stored release (results page, then dashboard)."""
    out = {}
    for mode in ("floor", "wizard"):
        out[mode] = run_wrk(
            mode, PACE_MS, users_file, script, connections=CROWD, seconds=CROWD_SECONDS
        )
    return {**out, **run_viewers(users_file, view_script, view)}


def run_viewers(users_file: Path, view_script: Path, view: dict) -> dict:
    """The viewers of a stored release: the floor, the results page, then the dashboard."""
    view_script.write_text(VIEW_SCRIPT)
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", view["cookie"])]
    # One request first: the page's own first-use costs are not what a viewer waits for.
    size = max(
        len(opener.open(f"{BASE}{view[page]}", timeout=60).read())
        for page in ("results", "dashboard")
    )
    paths = {"viewfloor": f"{view['floor']}?bytes={size}", **view}
    opener.open(f"{BASE}{paths['viewfloor']}", timeout=60).read()
    out = {}
    for page in ("viewfloor", "results", "dashboard"):
        out[page] = run_wrk(
            page,
            VIEW_THINK_MS,
            users_file,
            view_script,
            connections=VIEWERS,
            seconds=VIEW_SECONDS,
            extra={"LOAD_VIEW_PATH": paths[page], "LOAD_VIEW_COOKIE": view["cookie"]},
        )
    return out


def report_crowd_and_viewers(out: dict) -> None:
    print(
        f"\n{CROWD} respondents at respondent pace (a step every {PACE_MS / 1000:.0f} s ±50 %),"
        f" {CROWD_SECONDS} s each; {VIEWERS} viewers (a page every {VIEW_THINK_MS / 1000:.0f} s"
        f" ±50 %) of a closed round of {RELEASE_RESPONDENTS} respondents, {VIEW_SECONDS} s each"
    )
    print_rows(out, ("floor", "wizard"))
    wizard, floor = out["wizard"]["p95"], out["floor"]["p95"]
    print(
        f"wizard p95 with {CROWD} respondents = {wizard:.0f} ms beside the floor's {floor:.0f} ms"
        f" in this run: {wizard / floor:.1f}x (target <= 2x and < 150 ms)"
    )
    report_viewers(out)


def print_rows(out: dict, names: tuple[str, ...]) -> None:
    print(f"{'':12} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name in names:
        r = out[name]
        print(
            f"{name:12} {r['requests']:>9} {r['errors']:>7} {r['throughput']:>8.1f}"
            f" {r['p50']:>8.1f} {r['p95']:>8.1f}"
        )


def report_viewers(out: dict, *, title: bool = False) -> None:
    if title:
        print(
            f"{VIEWERS} viewers (a page every {VIEW_THINK_MS / 1000:.0f} s ±50 %) of a closed"
            f" round of {RELEASE_RESPONDENTS} respondents, {VIEW_SECONDS} s each, gunicorn"
            f" ({WORKERS} workers x {THREADS} threads, {CACHE_NAME}) + PostgreSQL, wrk on the"
            " same machine"
        )
    print_rows(out, ("viewfloor", "results", "dashboard"))
    floor = out["viewfloor"]["p95"]
    for page in ("results", "dashboard"):
        p95 = out[page]["p95"]
        print(
            f"{page} page p95 with {VIEWERS} viewers = {p95:.0f} ms (target <= 200 ms), the"
            f" viewer floor's {floor:.0f} ms in this run: {p95 / floor:.1f}x"
        )


if __name__ == "__main__":
    main()
