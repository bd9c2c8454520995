from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoneycombConfig(AppConfig):
    name = "honeycomb"
    verbose_name = _("Honeycomb results")
    default_auto_field = "django.db.models.BigAutoField"
