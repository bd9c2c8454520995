"""The mail service's delivery reports about messages of the outbox (core.views_delivery
checked their signature)."""

from anymail.signals import tracking
from django.dispatch import receiver

from .outbox.delivery import mail_delivery_record, report_from_anymail


@receiver(tracking)
def record_mail_delivery(sender, event, esp_name: str, **kwargs) -> None:
    report = report_from_anymail(event)
    if report is not None:
        mail_delivery_record(report)
