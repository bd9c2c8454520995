from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every app stands on: organisations, memberships and roles, the permission
    policies, the audit log, rate limits, API tokens and tabular imports. It imports nothing
    from the apps above it; they register what it needs (round titles for the audit log)."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
