from celery import shared_task

from . import services


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def send_mail_task(self, mail_id: int) -> bool:
    try:
        return services.mail_send(mail_id)
    except Exception as exc:  # SMTP hiccups: try again later, the claim was released
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True)
def send_pending_mails() -> int:
    return services.mails_send_pending()
