"""Board-pack jobs: a failed render is retried a few times and then failed, a job that cannot be
queued is failed at once, the sweeper settles lost jobs, a failed or lost job is never handed
to a later request, and old packs leave the storage."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from honeycomb import report_jobs, services, tasks
from honeycomb.models import ReportJob, ReportStatus
from honeycomb.report_jobs import REPORT_MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """The render replaced by a script: each call takes the next outcome (bytes or an error);
    the board pack's content is not built (other tests check it)."""
    outcomes: list = []
    calls: list[int] = []

    def build_report(pack, progress=None):
        calls.append(1)
        outcome = outcomes.pop(0) if outcomes else b"%PDF-1.4 made"
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(services, "board_pack_for", lambda scan_round, language: None)
    monkeypatch.setattr(services, "build_report", build_report)
    return outcomes, calls


def request(scan_round, capture, **kwargs) -> ReportJob:
    with capture(execute=True):
        job = services.report_request(scan_round=scan_round, user=None, language="nl", **kwargs)
    job.refresh_from_db()
    return job


def test_a_render_that_fails_once_is_retried_and_the_pack_is_ready(
    round_a, renders, django_capture_on_commit_callbacks
):
    outcomes, calls = renders
    outcomes.append(RuntimeError("font missing"))
    job = request(round_a, django_capture_on_commit_callbacks)
    assert job.status == ReportStatus.READY
    assert job.attempts == 2 and len(calls) == 2
    assert job.pack.read() == b"%PDF-1.4 made"
    assert job.error == ""


def test_a_render_that_keeps_failing_is_marked_failed_after_the_last_attempt(
    round_a, renders, django_capture_on_commit_callbacks
):
    outcomes, calls = renders
    outcomes.extend(RuntimeError(f"broken {i}") for i in range(REPORT_MAX_ATTEMPTS + 2))
    job = request(round_a, django_capture_on_commit_callbacks)
    assert job.status == ReportStatus.FAILED
    assert len(calls) == job.attempts == REPORT_MAX_ATTEMPTS
    assert f"broken {REPORT_MAX_ATTEMPTS - 1}" in job.error
    assert not job.pack and job.finished_at is not None


def test_a_job_that_cannot_be_queued_is_failed_and_the_next_request_makes_a_new_one(
    round_a, renders, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(name, *args):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(report_jobs, "task_delay", broker_down)
    job = request(round_a, django_capture_on_commit_callbacks)
    assert job.status == ReportStatus.FAILED
    assert "could not be queued" in job.error
    monkeypatch.undo()
    renders_again = services.report_request(scan_round=round_a, user=None, language="nl")
    assert renders_again.pk != job.pk and renders_again.status == ReportStatus.QUEUED


def test_a_failed_job_is_never_handed_back_but_a_waiting_one_is(round_a):
    failed = ReportJob.objects.create(round=round_a, language="nl", status=ReportStatus.FAILED)
    first = services.report_request(scan_round=round_a, user=None, language="nl")
    assert first.pk != failed.pk
    # A double click while the first waits: the same job.
    assert services.report_request(scan_round=round_a, user=None, language="nl").pk == first.pk
    # Another language or format is another job.
    assert services.report_request(scan_round=round_a, user=None, language="en").pk != first.pk


def test_a_lost_job_is_not_handed_back(round_a):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    lost_queued = ReportJob.objects.create(round=round_a, language="nl", queued_at=long_ago)
    lost_running = ReportJob.objects.create(
        round=round_a, language="nl", status=ReportStatus.RUNNING, started_at=long_ago
    )
    job = services.report_request(scan_round=round_a, user=None, language="nl")
    assert job.pk not in (lost_queued.pk, lost_running.pk)
    # Failed at once: a late message for either renders nothing.
    for lost in (lost_queued, lost_running):
        lost.refresh_from_db()
        assert lost.status == ReportStatus.FAILED and "lost" in lost.error


def test_the_sweeper_queues_lost_jobs_again_and_fails_those_out_of_attempts(round_a, monkeypatch):
    published: list[int] = []
    monkeypatch.setattr(report_jobs, "task_delay", lambda name, job_id: published.append(job_id))
    now = timezone.now()
    long_ago = now - dt.timedelta(hours=1)

    def job(**fields) -> ReportJob:
        return ReportJob.objects.create(round=round_a, language="nl", **fields)

    waiting = job(queued_at=now)  # just queued: its task is on its way
    rendering = job(status=ReportStatus.RUNNING, started_at=now, attempts=1)
    lost_message = job(queued_at=long_ago)
    killed_worker = job(status=ReportStatus.RUNNING, started_at=long_ago, attempts=1)
    killed_every_time = job(
        status=ReportStatus.RUNNING, started_at=long_ago, attempts=REPORT_MAX_ATTEMPTS
    )
    ready = job(status=ReportStatus.READY, finished_at=long_ago)

    assert report_jobs.reports_sweep(now) == {"requeued": 2, "failed": 1}
    assert sorted(published) == sorted([lost_message.pk, killed_worker.pk])
    status = dict(ReportJob.objects.values_list("pk", "status"))
    assert status[waiting.pk] == status[lost_message.pk] == status[killed_worker.pk] == "queued"
    assert status[rendering.pk] == "running" and status[ready.pk] == "ready"
    assert status[killed_every_time.pk] == "failed"
    assert "3 attempts" in ReportJob.objects.get(pk=killed_every_time.pk).error
    # A second sweep at once finds the requeued jobs fresh again.
    assert report_jobs.reports_sweep(now) == {"requeued": 0, "failed": 0}


def test_the_sweeper_fails_a_job_it_cannot_queue(round_a, monkeypatch):
    def broker_down(name, *args):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(report_jobs, "task_delay", broker_down)
    lost = ReportJob.objects.create(round=round_a, queued_at=timezone.now() - dt.timedelta(hours=1))
    assert report_jobs.reports_sweep() == {"requeued": 0, "failed": 0}
    assert ReportJob.objects.get(pk=lost.pk).status == ReportStatus.FAILED


def test_a_duplicate_message_does_not_render_a_job_another_worker_renders(round_a, renders):
    _, calls = renders
    job = ReportJob.objects.create(
        round=round_a, status=ReportStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    assert services.report_render(job.pk).status == ReportStatus.RUNNING
    assert calls == []


def test_a_job_out_of_attempts_is_failed_when_its_message_comes_again(round_a, renders):
    """A pack that kills its worker every time: the redelivered message does not render it
    a fourth time."""
    _, calls = renders
    job = ReportJob.objects.create(
        round=round_a,
        status=ReportStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=1),
        attempts=REPORT_MAX_ATTEMPTS,
    )
    assert services.report_render(job.pk).status == ReportStatus.FAILED
    assert calls == []


def test_the_task_failing_for_good_marks_its_job_failed(round_a):
    job = ReportJob.objects.create(round=round_a, status=ReportStatus.RUNNING, attempts=1)
    tasks.render_report_task.on_failure(
        MemoryError("out of memory"), "task-id", (job.pk,), {}, None
    )
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED and "out of memory" in job.error
    ready = ReportJob.objects.create(round=round_a, status=ReportStatus.READY)
    tasks.render_report_task.on_failure(RuntimeError("late"), "task-id", (ready.pk,), {}, None)
    assert ReportJob.objects.get(pk=ready.pk).status == ReportStatus.READY


def test_packs_live_in_the_private_storage_without_a_url(
    round_a, renders, settings, django_capture_on_commit_callbacks
):
    job = request(round_a, django_capture_on_commit_callbacks)
    path = Path(settings.PRIVATE_MEDIA_ROOT) / job.pack.name
    assert path.read_bytes() == b"%PDF-1.4 made"
    assert job.pack.name.startswith(f"reports/{round_a.organisation_id}/")
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        job.pack.url  # noqa: B018


def test_retention_deletes_old_packs_with_their_files(
    round_a, settings, django_capture_on_commit_callbacks
):
    settings.KLANTRAAT_REPORT_RETENTION_DAYS = 30
    now = timezone.now()

    def job(days_ago: int, status=ReportStatus.READY) -> ReportJob:
        return ReportJob.objects.create(
            round=round_a,
            status=status,
            pack=ContentFile(b"%PDF", name="board-pack.pdf"),
            finished_at=now - dt.timedelta(days=days_ago),
        )

    old, old_failed, recent = job(31), job(40, ReportStatus.FAILED), job(29)
    waiting = ReportJob.objects.create(round=round_a, created_at=now - dt.timedelta(days=90))
    old_file = Path(settings.PRIVATE_MEDIA_ROOT) / old.pack.name
    assert old_file.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert report_jobs.reports_purge(now) == 2
    assert set(ReportJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not old_file.exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / recent.pack.name).exists()
    assert old_failed.pk not in ReportJob.objects.values_list("pk", flat=True)


def test_deleting_a_round_deletes_its_packs(round_a, settings, django_capture_on_commit_callbacks):
    job = ReportJob.objects.create(
        round=round_a, status=ReportStatus.READY, pack=ContentFile(b"%PDF", name="p.pdf")
    )
    path = Path(settings.PRIVATE_MEDIA_ROOT) / job.pack.name
    with django_capture_on_commit_callbacks(execute=True):
        round_a.delete()
    assert not path.exists()
