from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PulseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pulse"
    verbose_name = _("Tenant pulse")

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .services.invitations import register_outbox_kinds

        register_outbox_kinds()
