"""Respondents, their personal links, their answers and their comments per step."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rounds import OpenLink, RespondentGroup, ScanRound

COMMENT_MAX_LENGTH = 2000


class Respondent(models.Model):
    round = models.ForeignKey(
        ScanRound, on_delete=models.CASCADE, related_name="respondents", verbose_name=_("round")
    )
    group = models.ForeignKey(
        RespondentGroup,
        on_delete=models.CASCADE,
        related_name="respondents",
        verbose_name=_("group"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    department = models.CharField(_("department or team"), max_length=120, blank=True)
    language = models.CharField(max_length=8, default="nl", verbose_name=_("language"))
    open_link = models.ForeignKey(
        OpenLink,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="respondents",
        verbose_name=_("open link"),
    )
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    personal_data_erased_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("personal data erased at")
    )

    class Meta:
        ordering = ["round", "group", "email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=~Q(email=""),
                name="one_respondent_per_email_per_round",
            )
        ]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self) -> str:
        return self.email or f"#{self.pk}"


class RespondentToken(models.Model):
    """A personal link. Only the SHA-256 of the token is stored; several may be live (invitation,
    reminder) until the round closes or they are revoked."""

    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("respondent")
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    issued_at = models.DateTimeField(default=timezone.now, verbose_name=_("issued at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        verbose_name = _("respondent link")
        verbose_name_plural = _("respondent links")


class Answer(models.Model):
    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="answers", verbose_name=_("respondent")
    )
    statement_code = models.CharField(max_length=40, verbose_name=_("statement code"))
    # None means "not applicable / don't know": stored, never scored.
    level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        verbose_name=_("level"),
    )
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH, verbose_name=_("comment"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "statement_code"], name="one_answer_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="answer_level_in_range",
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class StepComment(models.Model):
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.CASCADE,
        related_name="step_comments",
        verbose_name=_("respondent"),
    )
    cell_code = models.CharField(max_length=40, verbose_name=_("cell code"))
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, verbose_name=_("comment"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("step comment")
        verbose_name_plural = _("step comments")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "cell_code"], name="one_step_comment_per_cell"
            )
        ]
