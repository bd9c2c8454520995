"""The outbox's tasks, routed to the ``mail`` queue (cms/settings/queues.py)."""

from celery import shared_task

from . import outbox


@shared_task(acks_late=True)
def send_outbox_batch(mail_ids: list[int]) -> int:
    """One attempt per message of the batch; a failed attempt is recorded on its row with its
    next time, and the sweeper (send_pending_mails) queues it again then, a bounded number of
    times."""
    return outbox.outbox_send_batch(mail_ids)


@shared_task(acks_late=True)
def send_mail_task(mail_id: int) -> bool:
    """One message on its own (tasks queued before batches, and a person's retry)."""
    return outbox.mail_send(mail_id)


@shared_task(acks_late=True)
def send_pending_mails() -> int:
    return outbox.mails_send_pending()


@shared_task(acks_late=True)
def clear_sent_mail_texts() -> int:
    """Daily: texts and addresses of messages sent longer ago than the retention period."""
    return outbox.sent_bodies_clear()
