"""The platform's models: organisations, the people in them with their role, the audit log,
the API tokens with their scopes and the one outbox for every message.

Organisations, memberships, the audit log and the outbox were once the scan app's; their tables
keep the ``scan_`` names (no data moved). ``from core.models import X`` is the import to use.
"""

from .organisations import Membership, Organisation, Role

from .audit import AuditEvent, AuditKind  # isort: skip
from .tokens import AccessToken, AccessTokenQuerySet, TokenScope  # isort: skip
from .outbox import (  # isort: skip
    Delivery,
    DeliveryFields,
    MailStatus,
    MessageChannel,
    OutgoingMail,
    UndeliverableAddress,
)

__all__ = [
    "AccessToken",
    "AccessTokenQuerySet",
    "AuditEvent",
    "AuditKind",
    "Delivery",
    "DeliveryFields",
    "MailStatus",
    "Membership",
    "MessageChannel",
    "Organisation",
    "OutgoingMail",
    "Role",
    "TokenScope",
    "UndeliverableAddress",
]
