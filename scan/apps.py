from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanConfig(AppConfig):
    name = "scan"
    verbose_name = _("Scan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
