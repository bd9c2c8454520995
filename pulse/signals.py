"""The mail service's delivery reports about pulse invitations (see core.views_delivery)."""

from anymail.signals import tracking
from django.dispatch import receiver


@receiver(tracking)
def record_invitation_delivery(sender, event, esp_name: str, **kwargs) -> None:
    from core.outbox import report_from_anymail

    from .services.invitations import invitation_delivery_record

    report = report_from_anymail(event)
    if report is not None:
        invitation_delivery_record(report)
