"""The improvement cycle: ambition, working group, improvement actions, periodic evaluation,
the director's review and external customer measures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from scan.models import ScanRound
from scan.periods import quarter_label

User = settings.AUTH_USER_MODEL


class Ambition(models.Model):
    """One version of an organisation's ambition; a change adds a version, history stays."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ambitions"
    )
    version = models.PositiveIntegerField()
    statement = models.TextField(_("point on the horizon"), max_length=2000)
    horizon = models.DateField(_("horizon date"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_ambition_version")
        ]
        verbose_name = _("ambition")

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class AmbitionTarget(models.Model):
    ambition = models.ForeignKey(Ambition, on_delete=models.CASCADE, related_name="targets")
    cell_code = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ambition", "cell_code"], name="one_target_per_cell"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="target_level_in_range"
            ),
        ]


class WorkingGroup(models.Model):
    """One of an organisation's working groups; a group can own actions, and its members see
    and update them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(_("name"), max_length=120, default="Werkgroep klantgerichtheid")
    chair = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="working_groups"
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="one_working_group_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ActionStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.IDEA, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class ImprovementAction(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    # An action is owned by a person or by a working group (then its members carry it).
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("working group"),
    )
    start_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.IDEA
    )
    dropped_reason = models.CharField(_("reason for dropping"), max_length=500, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    expected_effect = models.TextField(_("expected effect"), blank=True, max_length=2000)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: an edit based on an old version is refused instead of overwriting.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "-priority", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("start_on")),
                name="action_due_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


# The fields people edit on an action (the form and the service both use this list).
ACTION_FIELDS = (
    "title",
    "description",
    "owner",
    "working_group",
    "start_on",
    "due_on",
    "status",
    "dropped_reason",
    "priority",
    "expected_effect",
)


class ActionCell(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="cells")
    cell_code = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "cell_code"], name="one_link_per_cell")
        ]


class ActionUpdate(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: never guessable, never the uploader's file name.
    import secrets

    return f"evidence/{instance.update.action.organisation_id}/{secrets.token_hex(16)}"


def private_storage():
    """Evidence is in the private storage (cms/storage.py): only a view that checks
    membership serves it."""
    from django.core.files.storage import storages

    return storages["private"]


class Evidence(models.Model):
    update = models.ForeignKey(ActionUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()


class ActionEvent(models.Model):
    """Who changed what and when: the history of an action. Never edited."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=30)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ActionReminder(models.Model):
    """At most one reminder per action, kind and period (ISO week)."""

    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    period = models.CharField(max_length=10)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "period"], name="one_reminder_per_period"
            )
        ]


class EvaluationSchedule(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="evaluation_schedule"
    )
    interval_months = models.PositiveSmallIntegerField(
        _("every (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    next_due_on = models.DateField(_("next evaluation due on"))
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("evaluation schedule")

    def advance(self) -> dt.date:
        month = self.next_due_on.month - 1 + self.interval_months
        year = self.next_due_on.year + month // 12
        month = month % 12 + 1
        day = min(self.next_due_on.day, 28)
        return dt.date(year, month, day)


class Review(models.Model):
    """The director's review of a closed round; after sign-off its content is frozen."""

    # Written by the consultant; ``revision`` refuses an edit based on an outdated page.
    round = models.OneToOneField(ScanRound, on_delete=models.CASCADE, related_name="review")
    summary = models.TextField(_("summary by the consultant"), blank=True, max_length=5000)
    # A draft summary is marked as such wherever it is shown; signing needs a final one.
    summary_final = models.BooleanField(_("final summary"), default=False)
    # What the review showed when it was signed (targets, actions, measures, summary); the
    # figures themselves are frozen in honeycomb's FrozenResults.
    frozen = models.JSONField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_comment = models.TextField(_("comment"), blank=True, max_length=2000)
    revision = models.PositiveIntegerField(default=1)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class WithdrawnSignOff(models.Model):
    """A sign-off that a director withdrew, with the reason: the history keeps what was signed
    (the review's frozen content and the frozen results it pointed to)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="withdrawals")
    frozen = models.JSONField(editable=False)
    signed_off_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_at = models.DateTimeField()
    sign_off_comment = models.TextField(blank=True, max_length=2000)
    withdrawn_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"), max_length=2000)

    class Meta:
        ordering = ["-withdrawn_at", "-pk"]


class MeasureKind(models.TextChoices):
    MOVING_IN = "moving_in", _("Moving in")
    REPAIRS = "repairs", _("Repairs")
    MOVING_OUT = "moving_out", _("Moving out")
    TENANT_RATING = "tenant_rating", _("Tenant rating")
    OTHER = "other", _("Other")


class ExternalMeasure(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="external_measures"
    )
    source = models.CharField(_("source"), max_length=120)
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    period = models.CharField(_("period"), max_length=20)
    period_end = models.DateField(_("period ends on"))
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=10)
    sector_average = models.DecimalField(
        _("sector average"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "kind", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "kind", "period"], name="one_measure_per_period"
            )
        ]

    @property
    def period_label(self) -> str:
        """The period in the page's language ("2025-Q4" in English)."""
        return quarter_label(self.period)
