from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Improvement cycle")
    default_auto_field = "django.db.models.BigAutoField"
