"""Organisations and the people who work in them (memberships with a role).

The tables keep the names they had when these models lived in the scan app."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    WORKGROUP = "workgroup", _("Working-group member")
    DIRECTOR = "director", _("Director")
    CONSULTANT = "consultant", _("Consultant")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    # Replies to every mail in the organisation's name (invitations, reminders, tenants'
    # survey invitations) go here, not to the platform's no-reply sender.
    reply_to = models.EmailField(
        _("reply-to address"),
        blank=True,
        help_text=_(
            "Where replies to invitations, reminders and tenants' survey invitations go, e.g. "
            "your customer service. Empty: the mail asks not to reply."
        ),
    )
    # The respondent groups a new round of this organisation starts with.
    # Chosen in the app when the organisation is started; not a CMS field.
    group_kinds = models.JSONField(_("respondent groups"), default=list, blank=True, editable=False)
    # The columns last chosen when importing respondents, by the file's own header names,
    # so the next export from the same HR system is read the same way.
    import_mapping = models.JSONField(
        _("remembered import columns"), default=dict, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "scan_organisation"
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
    # Set for one save: the role before it (scan.signals) and whether the service wrote the
    # richer audit event itself (scan.services.people); never stored.
    _previous_role: str | None
    _audited_by_service: bool

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_organisation"
            )
        ]
        db_table = "scan_membership"
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.CONSULTANT and self.user_id and not self.user.is_staff:
            raise ValidationError({"role": _("Only staff users can be assigned as consultant.")})
