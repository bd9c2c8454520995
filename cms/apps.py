from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site and accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .celery import ensure_broker_folders
        from .site_frame import connect_signals

        ensure_broker_folders()
        connect_signals()
