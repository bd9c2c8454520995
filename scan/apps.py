from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanConfig(AppConfig):
    name = "scan"
    verbose_name = _("Scan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.audit import round_titles_source
        from core.outbox import register

        from . import signals  # noqa: F401
        from .models import MailKind
        from .selectors import round_titles
        from .services.people import account_mails_render
        from .services.respondent_mail import register_respondent_kinds

        register(MailKind.ACCOUNT, render=account_mails_render)
        register_respondent_kinds()
        round_titles_source(round_titles)
