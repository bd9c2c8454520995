"""The platform's models: organisations, the people in them with their role, the audit log and
the API tokens with their scopes.

Organisations, memberships and the audit log were once the scan app's; their tables keep the
``scan_`` names (no data moved). ``from core.models import X`` is the import to use.
"""

from .organisations import Membership, Organisation, Role

from .audit import AuditEvent, AuditKind  # isort: skip
from .tokens import AccessToken, AccessTokenQuerySet, TokenScope  # isort: skip

__all__ = [
    "AccessToken",
    "AccessTokenQuerySet",
    "AuditEvent",
    "AuditKind",
    "Membership",
    "Organisation",
    "Role",
    "TokenScope",
]
