from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every app stands on: organisations, memberships and roles, the permission
    policies, the audit log, rate limits, API tokens, tabular imports and the one outbox for
    every message. It imports nothing from the apps above it; they register what it needs
    (round titles for the audit log, their kinds of message for the outbox)."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
