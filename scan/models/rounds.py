"""Scan rounds, the respondent groups in a round and the anonymous open links per group."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import Organisation

from ..periods import period_of
from .maturity import ModelVersion


class GroupKind(models.TextChoices):
    BOARD = "board", _("Board / management team")
    MANAGERS = "managers", _("Managers")
    STAFF = "staff", _("Staff")
    PARTNERS = "partners", _("Contract partners")
    TENANTS = "tenants", _("Tenants")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ScanRound(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=160)
    period = models.CharField(_("period"), max_length=60, help_text=_("For example: spring 2026"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("model version"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("Figures based on fewer respondents are never shown."),
    )
    # The organisation's departments or teams, offered when respondents are added; a copied
    # round takes them along even when its respondents are not copied.
    departments = models.JSONField(_("departments or teams"), default=list, blank=True)
    previous_round = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
        verbose_name=_("previous round"),
    )
    # Set when a director signs the round's evaluation off: the results are then frozen and
    # the round can be neither reopened nor answered. Cleared only by a withdrawal.
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("scan round")
        verbose_name_plural = _("scan rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_label})"

    @property
    def period_label(self) -> str:
        """The period from the round's dates in the active language ("May–June 2026"); the
        free-text ``period`` is in one language only."""
        return period_of(self) or self.period

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("The closing date must be on or after the opening date.")}
            )

    @property
    def is_open(self) -> bool:
        return (
            self.status == RoundStatus.OPEN
            and self.signed_at is None
            and timezone.localdate() <= self.closes_on
        )

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def closes_at(self):
        """Links stay valid until the end of the closing day, Amsterdam time."""
        import datetime as dt

        return timezone.make_aware(dt.datetime.combine(self.closes_on, dt.time.max))


class RespondentGroup(models.Model):
    round = models.ForeignKey(
        ScanRound, on_delete=models.CASCADE, related_name="groups", verbose_name=_("round")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="one_group_per_kind_per_round")
        ]
        verbose_name = _("respondent group")
        verbose_name_plural = _("respondent groups")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The group's name in the active language: the name given to it (in Dutch, the
        product's first language) on Dutch pages, its kind's translated name otherwise."""
        if (get_language() or settings.LANGUAGE_CODE).split("-")[0] == settings.LANGUAGE_CODE:
            return self.name
        return str(self.get_kind_display())


class OpenLink(models.Model):
    """An anonymous link per group (e.g. for a tenant panel evening), with a cap and a closing date."""

    round = models.ForeignKey(
        ScanRound, on_delete=models.CASCADE, related_name="open_links", verbose_name=_("round")
    )
    group = models.ForeignKey(
        RespondentGroup,
        on_delete=models.CASCADE,
        related_name="open_links",
        verbose_name=_("group"),
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    cap = models.PositiveIntegerField(
        _("maximum number of respondents"), validators=[MinValueValidator(1)]
    )
    closes_on = models.DateField(_("closes on"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("open link")
        verbose_name_plural = _("open links")
