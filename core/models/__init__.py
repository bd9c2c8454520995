"""The platform's models: organisations, the people in them with their role, and the audit log.

They were once the scan app's; their tables keep the ``scan_`` names (no data moved).
``from core.models import X`` is the import to use.
"""

from .organisations import Membership, Organisation, Role

from .audit import AuditEvent, AuditKind  # isort: skip

__all__ = ["AuditEvent", "AuditKind", "Membership", "Organisation", "Role"]
