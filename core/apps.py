from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every app stands on: roles and permission policies, the audit log, rate
    limits, API tokens, tabular imports, backups and the one outbox for every message. Of the
    apps above it, it reads only the scan's models (Organisation, Membership, AuditEvent) until
    those move here."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
