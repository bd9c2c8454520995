"""The maturity model as an editable snippet and its immutable published versions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin

from ..blocks import DomainBlock, LevelBlock

LEVELS = (1, 2, 3, 4, 5)


class MaturityModel(DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """The editable maturity model (a snippet with drafts and revisions)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    levels = StreamField(
        [("level", LevelBlock())],
        use_json_field=True,
        min_num=5,
        max_num=5,
        verbose_name=_("levels"),
    )
    domains = StreamField(
        [("domain", DomainBlock())], use_json_field=True, min_num=1, verbose_name=_("domains")
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("name_nl"),
                FieldPanel("name_en"),
                FieldPanel("description_nl"),
                FieldPanel("description_en"),
            ],
            heading=_("Model"),
        ),
        FieldPanel("levels"),
        FieldPanel("domains"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("maturity model")
        verbose_name_plural = _("maturity models")

    def __str__(self) -> str:
        return self.name_nl


class ModelVersion(models.Model):
    """An immutable, published snapshot of a maturity model as one validated document."""

    model = models.ForeignKey(
        MaturityModel, on_delete=models.PROTECT, related_name="versions", verbose_name=_("model")
    )
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("document"))
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="unique_model_version_number")
        ]
        ordering = ["model", "-number"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")

    def __str__(self) -> str:
        return f"{self.model.code} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk and ModelVersion.objects.filter(pk=self.pk).exists():
            raise ValidationError(_("A published model version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A published model version cannot be deleted."))
