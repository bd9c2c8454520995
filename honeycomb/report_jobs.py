"""The life of a board-pack job: queued, claimed by one worker, retried a few times, then ready
or failed — never left queued. A sweeper (beat) queues again what a broker or a killed worker
lost, and a retention task deletes old packs.

QUEUED -> RUNNING -> READY
              |  \\-> QUEUED again (attempts left: Celery retries, or the sweeper)
              \\---> FAILED (no attempts left, or the job could not be queued)
A failed job is never handed to a later request: that request makes a new job."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.dispatch import task_delay

from .models import ReportJob, ReportStatus

logger = logging.getLogger("klantraat.honeycomb")

RENDER_TASK = "honeycomb.tasks.render_report_task"
REPORT_MAX_ATTEMPTS = 3
# A queued job whose task has not started after this long was lost (broker, killed worker).
QUEUED_LIMIT = dt.timedelta(minutes=15)
# A job running longer than this has lost its worker: Celery's hard time limit is 10 minutes.
RUNNING_LIMIT = dt.timedelta(minutes=15)
RETRY_DELAY = dt.timedelta(seconds=30)  # times the attempts made

NOT_QUEUED = "The report could not be queued (the task queue is unavailable)."
GAVE_UP = "The report could not be made in {attempts} attempts."
REPLACED = "Its task or worker was lost; a new request made a new job."


def _limit(name: str, default: dt.timedelta) -> dt.timedelta:
    """A timing from settings (seconds), read per call so a test worker can shorten it."""
    return dt.timedelta(seconds=getattr(settings, name, default.total_seconds()))


def running_limit() -> dt.timedelta:
    return _limit("KLANTRAAT_REPORT_RUNNING_LIMIT", RUNNING_LIMIT)


def queued_limit() -> dt.timedelta:
    return _limit("KLANTRAAT_REPORT_QUEUED_LIMIT", QUEUED_LIMIT)


def max_attempts() -> int:
    return int(getattr(settings, "KLANTRAAT_REPORT_MAX_ATTEMPTS", REPORT_MAX_ATTEMPTS))


def is_stale(job: ReportJob, now: dt.datetime) -> bool:
    """A job that should be moving and is not: its task or its worker was lost."""
    if job.status == ReportStatus.QUEUED:
        return job.queued_at <= now - queued_limit()
    if job.status == ReportStatus.RUNNING:
        return job.started_at is None or job.started_at <= now - running_limit()
    return False


def _fail(job_id: int, error: str, *, only: tuple[str, ...]) -> bool:
    return bool(
        ReportJob.objects.filter(pk=job_id, status__in=only).update(
            status=ReportStatus.FAILED, error=error[:1000], finished_at=timezone.now()
        )
    )


def report_publish(job_id: int) -> bool:
    """Hand a job to the reports queue. A job that cannot be handed over is failed at once, so
    nobody waits on it and the next request makes a new one."""
    try:
        task_delay(RENDER_TASK, job_id)
    except Exception as exc:  # kombu raises several types when the broker is unreachable
        logger.warning("report job %s could not be queued", job_id, exc_info=True)
        _fail(job_id, f"{NOT_QUEUED} {exc}", only=(ReportStatus.QUEUED,))
        return False
    return True


def report_claim(job_id: int) -> ReportJob | None:
    """Take a job for rendering, or None when there is nothing to do: it is finished, another
    worker renders it right now (a duplicate message), or its attempts are used up (then it
    is failed here — a pack that kills its worker every time is not tried forever)."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update()
            .select_related("round__organisation", "round__model_version")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status in (ReportStatus.READY, ReportStatus.FAILED):
            return None
        if job.status == ReportStatus.RUNNING and not is_stale(job, now):
            return None
        if job.attempts >= max_attempts():
            _fail(job.pk, GAVE_UP.format(attempts=job.attempts), only=(job.status,))
            return None
        job.status = ReportStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.progress = 5
        job.save(update_fields=["status", "attempts", "started_at", "progress"])
    return job


def report_attempt_failed(job: ReportJob, error: BaseException) -> bool:
    """After a render raised: queue the job again while attempts are left (True), else fail
    it (False)."""
    text = f"{type(error).__name__}: {error}"[:1000]
    if job.attempts < max_attempts():
        ReportJob.objects.filter(pk=job.pk, status=ReportStatus.RUNNING).update(
            status=ReportStatus.QUEUED, queued_at=timezone.now(), progress=0, error=text
        )
        return True
    _fail(job.pk, text, only=(ReportStatus.RUNNING, ReportStatus.QUEUED))
    return False


def report_failed(job_id: int, error: BaseException | str) -> bool:
    """The task gave up (Celery's on_failure): whatever was not finished is failed."""
    return _fail(job_id, str(error), only=(ReportStatus.QUEUED, ReportStatus.RUNNING))


def report_store(job: ReportJob, content: bytes) -> None:
    """Keep a rendered pack in the private storage and mark the job ready. Only the job's
    current attempt may: one whose worker was given up on finds its job taken over."""
    job.pack.save(f"board-pack.{job.kind}", ContentFile(content), save=False)
    stored = ReportJob.objects.filter(
        pk=job.pk, status=ReportStatus.RUNNING, attempts=job.attempts
    ).update(
        status=ReportStatus.READY,
        progress=100,
        pack=job.pack.name,
        error="",
        finished_at=timezone.now(),
    )
    if not stored:
        job.pack.delete(save=False)


def retry_delay(job_id: int) -> int:
    attempts = ReportJob.objects.filter(pk=job_id).values_list("attempts", flat=True).first()
    return int(RETRY_DELAY.total_seconds()) * max(attempts or 1, 1)


def reports_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Beat's sweeper: queue again the jobs whose task or worker was lost while attempts are
    left; fail the rest. A job is never left queued or running for good."""
    now = now or timezone.now()
    stale = ReportJob.objects.filter(
        Q(status=ReportStatus.QUEUED, queued_at__lte=now - queued_limit())
        | Q(status=ReportStatus.RUNNING, started_at__lte=now - running_limit())
        | Q(status=ReportStatus.RUNNING, started_at__isnull=True)
    )
    requeued = failed = 0
    for job_id, attempts in stale.values_list("pk", "attempts"):
        if attempts >= max_attempts():
            failed += _fail(
                job_id,
                GAVE_UP.format(attempts=attempts),
                only=(ReportStatus.QUEUED, ReportStatus.RUNNING),
            )
            continue
        moved = ReportJob.objects.filter(pk=job_id).filter(
            Q(status=ReportStatus.QUEUED, queued_at__lte=now - queued_limit())
            | Q(status=ReportStatus.RUNNING)
        )
        if moved.update(status=ReportStatus.QUEUED, queued_at=now, progress=0):
            requeued += report_publish(job_id)
    return {"requeued": requeued, "failed": failed}


def pack_delete_after_commit(sender, instance: ReportJob, **kwargs) -> None:
    """post_delete of a job (directly, by erasure, retention or with its round): its pack
    leaves the storage once the deletion is committed."""
    name = instance.pack.name
    if name:
        storage = instance.pack.storage
        transaction.on_commit(lambda: storage.delete(name))


def reports_purge(now: dt.datetime | None = None) -> int:
    """Retention: finished jobs older than KLANTRAAT_REPORT_RETENTION_DAYS go with their packs
    (a pack is made again from the stored release on request)."""
    now = now or timezone.now()
    days = settings.KLANTRAAT_REPORT_RETENTION_DAYS
    old = ReportJob.objects.filter(
        status__in=[ReportStatus.READY, ReportStatus.FAILED],
        finished_at__lte=now - dt.timedelta(days=days),
    )
    count, _ = old.delete()
    return count
