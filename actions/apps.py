from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Improvement cycle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .services.reminders import register_outbox_kinds

        register_outbox_kinds()
