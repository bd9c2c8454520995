"""Mail to respondents: their part of the outbox's messages, and the editable texts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, OutgoingMail

from .respondents import Respondent
from .rounds import GroupKind


class MailKind(models.TextChoices):
    """The scan's kinds of message; each goes through the one outbox (core.OutgoingMail). Other
    apps declare their own."""

    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    NEW_LINK = "new_link", _("New link")
    ACCOUNT = "account", _("Account mail")
    ASK = "ask", _("Question for the consultant")


# The kinds mailed to respondents, with texts editable in the CMS (MailTemplate).
RESPONDENT_KINDS = [
    (k.value, k.label) for k in (MailKind.INVITATION, MailKind.REMINDER, MailKind.NEW_LINK)
]


def delete_with_message(collector, field, sub_objs, using) -> None:
    """A respondent that goes takes their messages along (the texts hold their name), and with
    each message its RespondentMail row: in bulk, as a cascade does."""
    collector.collect(
        OutgoingMail.objects.using(using).filter(pk__in=[row.pk for row in sub_objs]),
        source=field.remote_field.model,
        nullable=False,
        fail_on_restricted=False,
    )


class RespondentMail(models.Model):
    """What makes a message of the outbox a respondent's: whom it is for, the hashed link it
    carries, and which one of its kind it is (one invitation; reminder 1, 2, ...). The message
    itself is core's; the outbox asks the scan, through its registered kinds, for the link and
    whether the round is open."""

    message = models.OneToOneField(
        OutgoingMail, on_delete=models.CASCADE, primary_key=True, related_name="respondent_mail"
    )
    respondent = models.ForeignKey(
        Respondent,
        on_delete=delete_with_message,
        related_name="mails",
        verbose_name=_("respondent"),
    )
    token = models.ForeignKey(
        "RespondentToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The message's kind again, so that the rule below can be a constraint.
    kind = models.CharField(max_length=20, choices=RESPONDENT_KINDS, verbose_name=_("kind"))
    sequence = models.PositiveSmallIntegerField(default=1, verbose_name=_("sequence"))

    class Meta:
        verbose_name = _("respondent mail")
        verbose_name_plural = _("respondent mails")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "kind", "sequence"], name="one_mail_per_kind_sequence"
            )
        ]


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
    kind = models.CharField(_("kind"), max_length=20, choices=RESPONDENT_KINDS)
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
        from ..mailtext import check_template

        check_template(subject=self.subject, body=self.body)
