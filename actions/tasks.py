from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_action_reminders() -> int:
    return services.reminders_send()


@shared_task(acks_late=True)
def prepare_due_evaluations() -> list[int]:
    return services.evaluations_prepare_due()
