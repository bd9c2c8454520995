"""What became of a sent mail or SMS: the provider's status webhook reports it, normalised by
django-anymail (mail) or pulse.sms (SMS). One message's state per row; an address that bounced
hard or complained is never mailed again (until it is changed)."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.utils import timezone

from ..models import Delivery, DeliveryFields, OutgoingMail, UndeliverableAddress
from .kinds import kind_of

logger = logging.getLogger("klantraat.outbox")

# Reported states that stay: a later "delivered" (a retry of a soft bounce) does not undo them.
FINAL = {Delivery.HARD_BOUNCE, Delivery.REJECTED, Delivery.COMPLAINED}
# States after which the address is not used again.
BLOCKING = {Delivery.HARD_BOUNCE, Delivery.COMPLAINED}
ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")
# Bounce types that anymail reports as "bounced" but that are temporary (Postmark's).
SOFT_ESP_TYPES = {"SoftBounce", "Transient", "DnsError"}
# Rejections by the service that mean the address itself is bad.
BAD_ADDRESS_REJECTIONS = {"invalid", "bounced", "spam"}


@dataclass(frozen=True)
class DeliveryReport:
    """One status report, whatever the provider: which message, what happened, and why."""

    message_id: str
    delivery: str
    reason: str = ""
    recipient: str = ""
    reference: str = ""  # our own reference sent along as metadata, when the provider keeps it


def report_from_anymail(event) -> DeliveryReport | None:
    """An anymail tracking event as a report; None for events that are not about delivery
    (queued, sent, opened, clicked: opens and clicks are not tracked)."""
    kind, reject_reason = event.event_type, event.reject_reason or ""
    if kind == "delivered":
        delivery = Delivery.DELIVERED
    elif kind == "deferred":
        delivery = Delivery.SOFT_BOUNCE
    elif kind == "bounced":
        soft = reject_reason == "timed_out" or _esp_type(event) in SOFT_ESP_TYPES
        delivery = Delivery.SOFT_BOUNCE if soft else Delivery.HARD_BOUNCE
    elif kind in ("rejected", "failed"):
        delivery = (
            Delivery.HARD_BOUNCE if reject_reason in BAD_ADDRESS_REJECTIONS else Delivery.REJECTED
        )
    elif kind == "complained":
        delivery = Delivery.COMPLAINED
    else:
        return None
    reason = event.mta_response or event.description or reject_reason or ""
    # Mail servers often quote the address: the reason is shown without it (pulse overview).
    reason = ADDRESS.sub("…", " ".join(str(reason).split()))
    return DeliveryReport(
        message_id=str(event.message_id or ""),
        delivery=delivery,
        reason=reason[:300],
        recipient=str(event.recipient or ""),
        reference=str((event.metadata or {}).get("klantraat", "")),
    )


def _esp_type(event) -> str:
    raw = getattr(event, "esp_event", None)
    return str(raw.get("Type", "")) if isinstance(raw, dict) else ""


def address_key(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def address_undeliverable(address: str) -> bool:
    return (
        bool(address)
        and UndeliverableAddress.objects.filter(address_key=address_key(address)).exists()
    )


def undeliverable_among(addresses) -> set[str]:
    """Which of these addresses bounced hard or complained (one query)."""
    keys = {address_key(a): a for a in addresses if a}
    found = UndeliverableAddress.objects.filter(address_key__in=keys).values_list(
        "address_key", flat=True
    )
    return {keys[k] for k in found}


def delivery_apply(model: type[DeliveryFields], report: DeliveryReport, *, reference_prefix: str):
    """Write the report on the message it is about (matched on the provider's message id, else
    on our reference); returns that row or None. Hard bounces and complaints block the address."""
    rows = model._default_manager.none()
    if report.message_id:
        rows = model._default_manager.filter(provider_message_id=report.message_id)
    if not rows.exists() and report.reference.startswith(reference_prefix):
        pk = report.reference.removeprefix(reference_prefix)
        rows = (
            model._default_manager.filter(pk=int(pk))
            if pk.isdigit()
            else model._default_manager.none()
        )
    row = rows.first()
    if row is None:
        return None
    if row.delivery in FINAL and report.delivery not in FINAL:
        return row  # a late "delivered" after a bounce changes nothing
    model._default_manager.filter(pk=row.pk).update(
        delivery=report.delivery, delivery_reason=report.reason, delivery_at=timezone.now()
    )
    if report.delivery in BLOCKING and report.recipient:
        UndeliverableAddress.objects.get_or_create(
            address_key=address_key(report.recipient),
            defaults={"delivery": report.delivery, "reason": report.reason},
        )
    row.refresh_from_db()
    return row


def mail_delivery_record(report: DeliveryReport) -> OutgoingMail | None:
    """A report about a message of the outbox; None when it is about another message."""
    mail = delivery_apply(OutgoingMail, report, reference_prefix="mail-")
    hooks = mail and kind_of(mail.kind)
    address = mail and (hooks.address(mail) if hooks and hooks.address else mail.recipient)
    if address and report.delivery in BLOCKING and not report.recipient:
        UndeliverableAddress.objects.get_or_create(
            address_key=address_key(address),
            defaults={"delivery": report.delivery, "reason": report.reason},
        )
    return mail
