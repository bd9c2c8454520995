"""Mail to respondents: the outbox (one row per mail to send once) and the editable texts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Organisation

from .respondents import Respondent
from .rounds import GroupKind


class MailKind(models.TextChoices):
    """Every kind of message Klantraat sends; all go through the one outbox (OutgoingMail)."""

    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    NEW_LINK = "new_link", _("New link")
    PULSE_INVITATION = "pulse_invitation", _("Pulse invitation")
    PULSE_REMINDER = "pulse_reminder", _("Pulse reminder")
    ACTION_REMINDER = "action_reminder", _("Action reminder")
    ACCOUNT = "account", _("Account mail")
    CALL_BACK = "call_back", _("Call-back notice")
    ASK = "ask", _("Question for the consultant")
    REPORT_READY = "report_ready", _("Report ready")
    NOTICE = "notice", _("Notice")


# The kinds mailed to respondents, with texts editable in the CMS (MailTemplate).
RESPONDENT_KINDS = [
    (k.value, k.label) for k in (MailKind.INVITATION, MailKind.REMINDER, MailKind.NEW_LINK)
]
# Stands in a stored text for the live link, which is made only when the message is sent.
LINK_MARK = "[[klantraat-link]]"


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not needed any more")


class Delivery(models.TextChoices):
    """What the mail service reported after sending (its status webhook). Opens and clicks are
    not tracked: Klantraat asks the service for delivery only."""

    DELIVERED = "delivered", _("delivered")
    SOFT_BOUNCE = "soft_bounce", _("not delivered yet")
    HARD_BOUNCE = "hard_bounce", _("not delivered")
    REJECTED = "rejected", _("not delivered: refused by the mail service")
    COMPLAINED = "complained", _("marked as spam")

    @classmethod
    def undelivered(cls) -> list[str]:
        return [cls.SOFT_BOUNCE, cls.HARD_BOUNCE, cls.REJECTED, cls.COMPLAINED]


class DeliveryFields(models.Model):
    """Delivery state of one sent message, as its provider's status webhook reports it."""

    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices, blank=True)
    delivery_reason = models.CharField(_("reason"), max_length=300, blank=True)
    delivery_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        abstract = True


class UndeliverableAddress(models.Model):
    """An address that bounced hard or complained: nothing is mailed (or texted) to it again.
    Kept as a hash, so a tenant's address that is erased elsewhere is not kept here; a changed
    address is a new one and is mailed again."""

    address_key = models.CharField(max_length=64, unique=True)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("undeliverable address")
        verbose_name_plural = _("undeliverable addresses")


class OutgoingMail(DeliveryFields):
    """The outbox: one row per message (mail or SMS) that must be sent exactly once; written in
    the transaction that caused it, claimed and marked by the sending task.

    The subject and body are written when the message is queued, but never a live link: where
    the text holds one, it holds LINK_MARK and the link is made at send time (from
    ``link_nonce`` and the secret key for a respondent's link; by the kind's renderer, see
    scan.services.outbox_send, for others). Every attempt sends the same text, the same link
    and the same Message-ID. A message about another row (a pulse invitation, an action
    reminder) names it in ``ref_id``; its kind's renderer reads it at send time."""

    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("respondent"),
        null=True,
        blank=True,
    )
    channel = models.CharField(
        _("channel"), max_length=5, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    # Where replies go, for a message written in full when queued (an empty one: the sender).
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    ref_id = models.BigIntegerField(null=True, blank=True)
    # Unique per message that must exist once (a digest per person and day, a pulse invitation).
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    link_nonce = models.CharField(max_length=32, blank=True)
    # Which send attempt holds the row; a claim older than the claim timeout may be taken over.
    claim = models.CharField(max_length=32, blank=True)
    kind = models.CharField(
        max_length=20, choices=MailKind.choices, verbose_name=_("kind"), db_index=True
    )
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
        indexes = [
            models.Index(fields=["kind", "ref_id"], name="outbox_kind_ref"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
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
