import logging

from celery import Task, shared_task

from . import report_jobs, services

logger = logging.getLogger("klantraat.honeycomb")


class ReportRenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The task gave up (an error after the last attempt, an error outside the render):
        its job is failed, never left queued or running."""
        if args:
            report_jobs.report_failed(args[0], exc)


@shared_task(bind=True, base=ReportRenderTask, acks_late=True)
def render_report_task(self, job_id: int) -> None:
    try:
        services.report_render(job_id)
    except services.RenderRetry:
        # The job waits queued again; its attempts (in the row, so a killed worker's count
        # too) stop the retries. Should the broker be away now, the sweeper queues it later.
        try:
            self.apply_async((job_id,), countdown=report_jobs.retry_delay(job_id))
        except Exception:
            logger.warning("retry of report job %s not queued", job_id, exc_info=True)


@shared_task(acks_late=True)
def sweep_report_jobs() -> dict[str, int]:
    return report_jobs.reports_sweep()


@shared_task(acks_late=True)
def purge_old_reports() -> int:
    return report_jobs.reports_purge()


@shared_task(acks_late=True)
def purge_api_read_audit() -> int:
    return services.api_reads_purge()
