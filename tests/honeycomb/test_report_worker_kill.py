"""Fault on purpose: the worker rendering a board pack is killed (SIGKILL) mid-render.

A real worker on the reports queue (tests/report_worker.py holds its render on a file) takes the
job; the test kills the worker's whole process group while the render is under way. The job is
then left RUNNING by nobody. The sweeper (beat, every few minutes in production; here in the
test's process) sees the job running past its limit and queues it again: with an attempt left
a fresh worker finishes the pack, without one the job is marked failed. Never is it left
queued or running, and a failed job is not handed to the next request.
"""

import json
import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from honeycomb import report_jobs, services
from honeycomb.models import ReportJob, ReportStatus
from tests import factories
from tests.scan.test_worker_kill import broker, database_url, folder  # noqa: F401
from tests.worker_process import WorkerProcess, alive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

ROOT = Path(django_settings.BASE_DIR)
RUNNING_LIMIT = 2  # seconds before a running job counts as lost (15 minutes in production)
DEADLINE = 120  # seconds for the whole scenario (a busy machine starts workers slowly)


@pytest.fixture
def report_workers(broker, folder, settings):  # noqa: F811
    """Starts report workers against this test's database, broker and private files; kills
    whatever is still running at the end, even after a failure."""
    settings.PRIVATE_MEDIA_ROOT = folder / "private"
    settings.KLANTRAAT_REPORT_RUNNING_LIMIT = RUNNING_LIMIT  # the sweeper below, as the workers
    (folder / "renders").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker.url,
        "KLANTRAAT_TEST_BROKER_OPTIONS": json.dumps(broker.options),
        "KLANTRAAT_PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "KLANTRAAT_TEST_RENDER_DIR": str(folder / "renders"),
        "KLANTRAAT_REPORT_RUNNING_LIMIT": str(RUNNING_LIMIT),
        "KLANTRAAT_REPORT_MAX_ATTEMPTS": "3",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    started: list[WorkerProcess] = []

    def start(label: str, **extra_env: str) -> WorkerProcess:
        worker = WorkerProcess(
            label,
            {**env, **extra_env},
            folder / f"worker-{label}.log",
            app="tests.report_worker",
            queues="reports",
            concurrency=1,
        )
        started.append(worker)
        return worker

    start.started = started  # type: ignore[attr-defined]
    try:
        yield start
    finally:
        for worker in started:
            worker.kill()


@pytest.mark.parametrize("attempts_left", [True, False], ids=["finished-on-retry", "failed"])
def test_a_worker_killed_mid_render_leaves_a_report_finished_or_failed_never_queued(
    round_a,
    folder,  # noqa: F811
    report_workers,
    settings,
    attempts_left,
):
    factories.respondent(round_a)
    factories.release(round_a)
    renders = folder / "renders"
    deadline = time.monotonic() + DEADLINE
    max_attempts = 3 if attempts_left else 1
    settings.KLANTRAAT_REPORT_MAX_ATTEMPTS = max_attempts

    def wait_until(condition, what: str) -> None:
        while not condition():
            if time.monotonic() > deadline:
                logs = "\n".join(w.log_tail() for w in report_workers.started)
                pytest.fail(f"timed out waiting until {what}\n{logs}")
            time.sleep(0.2)

    def job_status() -> str:
        return ReportJob.objects.values_list("status", flat=True).get(pk=job.pk)

    (renders / "hold").touch()
    first = report_workers("first")
    # Committed at once (no transaction around the test): the task goes to the broker now.
    job = services.report_request(scan_round=round_a, user=None, language="nl")
    wait_until(lambda: any(renders.glob("rendering-*")), "the worker is rendering")
    assert job_status() == ReportStatus.RUNNING

    render_pids = [int(p.name.split("-")[1]) for p in renders.glob("rendering-*")]
    first.kill()
    assert first.process.returncode == -signal.SIGKILL
    wait_until(lambda: not any(alive(pid) for pid in render_pids), "the render process is gone")
    (renders / "hold").unlink()
    assert job_status() == ReportStatus.RUNNING  # nobody is on it now: only the sweeper knows
    time.sleep(RUNNING_LIMIT)
    # Beat's sweeper (every five minutes in production) finds the job running past its limit.
    swept = report_jobs.reports_sweep()

    if attempts_left:
        assert swept == {"requeued": 1, "failed": 0}
        assert job_status() == ReportStatus.QUEUED
        # The fresh worker's limit is long: a message the broker hands out again (Redis, after
        # its visibility timeout) must not take the job over while this worker renders it.
        report_workers("second", KLANTRAAT_REPORT_RUNNING_LIMIT="600")
        wait_until(lambda: job_status() == ReportStatus.READY, "the pack is ready")
        job.refresh_from_db()
        assert job.attempts == 2 and job.error == ""
        assert job.pack.read().startswith(b"%PDF")
    else:
        assert swept == {"requeued": 0, "failed": 1}
        job.refresh_from_db()
        assert job.status == ReportStatus.FAILED
        assert "1 attempts" in job.error and not job.pack
        settings.KLANTRAAT_REPORT_MAX_ATTEMPTS = 3
        again = services.report_request(scan_round=round_a, user=None, language="nl")
        assert again.pk != job.pk  # a new job, not the failed one
    assert not ReportJob.objects.filter(
        pk=job.pk, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).exists()
