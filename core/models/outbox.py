"""The one outbox: one row per message (mail or SMS) of any app, and the addresses that are not
mailed again. Core knows no app: a message has a free ``kind`` that its app declares and
registers a renderer for (core.outbox.send.register), and names what it is about in ``ref_id``;
an app that needs more (the scan's respondent link) keeps a table of its own beside it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Stands in a stored text for the live link, which is made only when the message is sent.
LINK_MARK = "[[klantraat-link]]"
# The kind of a message written in full when queued and needing nothing at send time.
NOTICE = "notice"


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
        # The table the scan created before the outbox moved here (no row was copied).
        db_table = "scan_undeliverableaddress"
        verbose_name = _("undeliverable address")
        verbose_name_plural = _("undeliverable addresses")


class OutgoingMail(DeliveryFields):
    """The outbox: one row per message (mail or SMS) that must be sent exactly once; written in
    the transaction that caused it, claimed and marked by the sending task.

    The subject and body are written when the message is queued, but never a live link: where
    the text holds one, it holds LINK_MARK and the kind's renderer makes the link at send time
    (from ``link_nonce``, or from what ``ref_id`` names). Every attempt sends the same text,
    the same link and the same Message-ID."""

    channel = models.CharField(
        _("channel"), max_length=5, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    # Where replies go, for a message written in full when queued (an empty one: the sender).
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    ref_id = models.BigIntegerField(null=True, blank=True)
    # Unique per message that must exist once (a digest per person and day, a pulse invitation).
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    # The secret a kind's renderer derives the live link from; cleared once the message went.
    link_nonce = models.CharField(max_length=32, blank=True)
    # Which send attempt holds the row; a claim older than the claim timeout may be taken over.
    claim = models.CharField(max_length=32, blank=True)
    # Declared by the app that queues it (e.g. "invitation", "pulse_invitation").
    kind = models.CharField(max_length=20, verbose_name=_("kind"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MailStatus.choices,
        default=MailStatus.QUEUED,
        db_index=True,
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
        # The table the scan created before the outbox moved here (no row was copied).
        db_table = "scan_outgoingmail"
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [
            models.Index(fields=["kind", "ref_id"], name="outbox_kind_ref"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]
        ordering = ["created_at"]
