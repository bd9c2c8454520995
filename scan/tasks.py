from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_mail_task(mail_id: int) -> bool:
    """One attempt; a failed attempt is recorded on the row with its next time, and the
    sweeper (send_pending_mails) queues it again then, a bounded number of times."""
    return services.mail_send(mail_id)


@shared_task(acks_late=True)
def send_pending_mails() -> int:
    return services.mails_send_pending()
