"""The outbox's tasks under the names they had before the outbox moved to core: messages queued
by the previous release may still wait in the broker on upgrade, and a worker that does not know
their name would drop them. Each runs the core task; nothing queues these names any more."""

from celery import shared_task

from core import tasks


@shared_task(acks_late=True)
def send_outbox_batch(mail_ids: list[int]) -> int:
    return tasks.send_outbox_batch(mail_ids)


@shared_task(acks_late=True)
def send_mail_task(mail_id: int) -> bool:
    return tasks.send_mail_task(mail_id)


@shared_task(acks_late=True)
def send_pending_mails() -> int:
    return tasks.send_pending_mails()


@shared_task(acks_late=True)
def clear_sent_mail_texts() -> int:
    return tasks.clear_sent_mail_texts()
