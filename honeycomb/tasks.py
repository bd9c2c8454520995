from celery import shared_task

from . import services


@shared_task(acks_late=True)
def render_report_task(job_id: int) -> None:
    services.report_render(job_id)
