from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoneycombConfig(AppConfig):
    name = "honeycomb"
    verbose_name = _("Honeycomb results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .models import ReportJob
        from .report_jobs import pack_delete_after_commit

        post_delete.connect(pack_delete_after_commit, sender=ReportJob)
