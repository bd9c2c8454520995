from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every app stands on: roles and permission policies, the audit log, rate
    limits, API tokens, tabular imports and backups. It imports none of the apps above it."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
