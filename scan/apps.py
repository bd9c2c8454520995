from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanConfig(AppConfig):
    name = "scan"
    verbose_name = _("Scan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.audit import round_titles_source

        from . import signals  # noqa: F401
        from .models import MailKind
        from .selectors import round_titles
        from .services.outbox_send import register
        from .services.people import account_mails_render

        register(MailKind.ACCOUNT, render=account_mails_render)
        round_titles_source(round_titles)
