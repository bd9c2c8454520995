"""The audit log of security-relevant events."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


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
    MEMBER_INVITED = "member_invited", _("Person invited")
    MEMBER_REMOVED = "member_removed", _("Person removed")
    ROUND_DELETED = "round_deleted", _("Round deleted")
    ROUND_COPIED = "round_copied", _("Round set up as a copy")
    RESPONDENT_DELETED = "respondent_deleted", _("Respondent removed")
    OPEN_LINK_CREATED = "open_link_created", _("Open link created")
    OPEN_LINK_REVOKED = "open_link_revoked", _("Open link withdrawn")
    RELEASE_MADE = "release_made", _("Figures released")
    ROUND_EDITED = "round_edited", _("Round changed")
    ORGANISATION_CREATED = "organisation_created", _("Organisation created")
    CONSULTANT_ASKED = "consultant_asked", _("Consultant asked")


class AuditEvent(models.Model):
    """Security-relevant events. Written once and never changed; only the retention of
    results-API reads (honeycomb.services.api_reads_purge) deletes any."""

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
        db_table = "scan_auditevent"
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit events cannot be deleted."))
