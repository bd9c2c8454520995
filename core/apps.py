from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every app stands on: roles and permission policies, the audit log, rate
    limits, API tokens, tabular imports and backups. Of the apps above it, it reads only the
    scan's models (Organisation, Membership, AuditEvent) until those move here."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
