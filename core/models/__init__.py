"""The platform's models, one module per concern, all re-exported here."""

from .outbox import (
    Delivery,
    DeliveryFields,
    MailStatus,
    MessageChannel,
    OutgoingMail,
    UndeliverableAddress,
)

__all__ = [
    "Delivery",
    "DeliveryFields",
    "MailStatus",
    "MessageChannel",
    "OutgoingMail",
    "UndeliverableAddress",
]
