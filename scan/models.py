"""Organisations, the maturity model, scan rounds, respondents and their answers.

The maturity model is edited as a draftable snippet; publishing freezes it into an
immutable ModelVersion document. Rounds pin a version and answers refer to statement codes
inside that document, so editing the model never changes old results.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin

from .blocks import DomainBlock, LevelBlock

LEVELS = (1, 2, 3, 4, 5)
COMMENT_MAX_LENGTH = 2000


class GroupKind(models.TextChoices):
    BOARD = "board", _("Board / management team")
    MANAGERS = "managers", _("Managers")
    STAFF = "staff", _("Staff")
    PARTNERS = "partners", _("Contract partners")
    TENANTS = "tenants", _("Tenants")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    WORKGROUP = "workgroup", _("Working-group member")
    DIRECTOR = "director", _("Director")
    CONSULTANT = "consultant", _("Consultant")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one organisation. Consultants are members with the consultant role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_organisation"
            )
        ]
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.CONSULTANT and self.user_id and not self.user.is_staff:
            raise ValidationError({"role": _("Only staff users can be assigned as consultant.")})


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
        return f"{self.title} ({self.period})"

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


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    NEW_LINK = "new_link", _("New link")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """One row per mail that must be sent exactly once; tasks claim and mark it.

    The subject and body (with the respondent's link) are written when the mail is queued,
    together with the link itself (``token``): every attempt sends the same text and the same
    link, so a retried or interrupted send never makes a second link."""

    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="mails", verbose_name=_("respondent")
    )
    kind = models.CharField(max_length=20, choices=MailKind.choices, verbose_name=_("kind"))
    sequence = models.PositiveSmallIntegerField(default=1, verbose_name=_("sequence"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MailStatus.choices,
        default=MailStatus.QUEUED,
        db_index=True,
    )
    token = models.ForeignKey(
        "RespondentToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "kind", "sequence"], name="one_mail_per_kind_sequence"
            )
        ]
        ordering = ["created_at"]


class MailTemplate(models.Model):
    """Invitation, reminder and new-link texts, editable by consultants in the CMS: a global
    default (no organisation) and overrides per organisation, per respondent group (or all
    groups) and per language. The most specific one wins."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mail_templates",
        help_text=_("Empty: the default for every organisation without its own text."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    group_kind = models.CharField(
        _("respondent group"),
        max_length=20,
        choices=GroupKind.choices,
        blank=True,
        help_text=_("Empty: for every group without its own text."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Placeholders: {name}, {organisation}, {round}, {link} (required), {opens_on}, "
            "{closes_on}, {threshold}."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "group_kind", "language"],
                name="one_template_per_org_kind_group_language",
            ),
            models.UniqueConstraint(
                fields=["kind", "group_kind", "language"],
                condition=models.Q(organisation__isnull=True),
                name="one_default_template_per_kind_group_language",
            ),
        ]
        verbose_name = _("mail template")
        verbose_name_plural = _("mail templates")

    def __str__(self) -> str:
        parts = [self.get_kind_display(), self.language]
        if self.group_kind:
            parts.append(self.get_group_kind_display())
        if self.organisation_id:
            parts.append(str(self.organisation))
        return " · ".join(str(p) for p in parts)

    def clean(self) -> None:
        from .mailtext import check_template

        check_template(subject=self.subject, body=self.body)


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


class AuditKind(models.TextChoices):
    """Every kind of audit event, with the label the audit log shows."""

    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    ROLE_CHANGE = "role_change", _("Role changed")
    LINK_REVOKED = "link_revoked", _("Respondent links withdrawn")
    EXPORT = "export", _("Export")
    SIGN_OFF = "sign_off", _("Review signed off")
    SIGN_OFF_WITHDRAWN = "sign_off_withdrawn", _("Sign-off withdrawn")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ROUND_OPENED = "round_opened", _("Round opened")
    ROUND_CLOSED = "round_closed", _("Round closed")
    ROUND_REOPENED = "round_reopened", _("Round reopened")
    INVITATIONS_QUEUED = "invitations_queued", _("Invitations queued")
    REMINDERS_QUEUED = "reminders_queued", _("Reminders queued")


class AuditEvent(models.Model):
    """Security-relevant events. Written once, never changed or deleted through the app."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        verbose_name=_("organisation"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    kind = models.CharField(_("what"), max_length=40, db_index=True, choices=AuditKind.choices)
    detail = models.JSONField(default=dict, verbose_name=_("detail"))
    ip = models.CharField(max_length=64, blank=True, verbose_name=_("ip"))
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit events cannot be deleted."))
