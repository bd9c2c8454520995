"""What a workshop agreed on per cell."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rounds import ScanRound


class Consensus(models.Model):
    """The level a workshop agreed on for a cell, stored beside the individual answers."""

    round = models.ForeignKey(
        ScanRound, on_delete=models.CASCADE, related_name="consensus", verbose_name=_("round")
    )
    cell_code = models.CharField(max_length=40, verbose_name=_("cell code"))
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        verbose_name=_("level"),
    )
    reason = models.TextField(_("reason"), max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "cell_code"], name="one_consensus_per_cell"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="consensus_level_in_range"
            ),
        ]
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus levels")
