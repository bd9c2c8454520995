"""Writing the audit log: one call per security-relevant event."""

from __future__ import annotations

from .models import AuditEvent
from .ratelimit import client_ip

KINDS = (
    "login",
    "login_failed",
    "logout",
    "role_change",
    "link_revoked",
    "export",
    "sign_off",
    "token_revoked",
    "token_created",
)


def audit(kind: str, *, organisation=None, actor=None, request=None, **detail) -> AuditEvent:
    assert kind in KINDS, kind
    user = actor if actor is not None else getattr(request, "user", None)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        detail={k: str(v) for k, v in detail.items()},
        ip=client_ip(request) if request is not None else "",
    )
