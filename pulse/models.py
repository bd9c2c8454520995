"""The tenant pulse: short surveys after customer moments, per contract partner.

Contact details live apart from answers (``Contact``) and are erased once the survey link has
expired; a ``PulseResponse`` keeps moment, partner, area and month only — never a timestamp that
points at one visit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import DeliveryFields, Organisation

from .summary_guard import SUMMARY_BYPASS, PulseResponseQuerySet, SummaryBypass, touches_summaries


class MessageKind(models.TextChoices):
    """The pulse's kinds of message in the one outbox (core)."""

    PULSE_INVITATION = "pulse_invitation", _("Pulse invitation")
    PULSE_REMINDER = "pulse_reminder", _("Pulse reminder")
    CALL_BACK = "call_back", _("Call-back notice")


class MomentKind(models.TextChoices):
    REPAIR = "repair", _("Repair completed")
    MOVE_IN = "move_in", _("Moved in")
    MOVE_OUT = "move_out", _("Moved out")
    OTHER = "other", _("Other customer moment")


class CustomerMoment(models.Model):
    """A moment after which tenants are asked for a grade: repair, moving in, moving out, …"""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="customer_moments"
    )
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=MomentKind.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    invite_after_days = models.PositiveSmallIntegerField(
        _("invite after (days)"),
        help_text=_("Days between the moment and the invitation (repair 1–3, move-in 28–42)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("customer moment")
        verbose_name_plural = _("customer moments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="pulse_moment_code")
        ]
        ordering = ["organisation", "code"]

    def __str__(self) -> str:
        return self.label

    def name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name_nl

    @property
    def label(self) -> str:
        """The name in the active language."""
        return self.name(get_language() or "nl")


class Questionnaire(models.Model):
    """One immutable version of a moment's questions (like a published maturity model)."""

    moment = models.ForeignKey(
        CustomerMoment, on_delete=models.CASCADE, related_name="questionnaires"
    )
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("questions"))
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pulse questionnaire")
        verbose_name_plural = _("pulse questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["moment", "number"], name="pulse_questionnaire_number")
        ]
        ordering = ["moment", "-number"]

    def __str__(self) -> str:
        return f"{self.moment} v{self.number}"


class ContractPartner(models.Model):
    """A contract partner (repair contractor, …) that works for the corporation: an "external
    colleague" with a scorecard of its own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contract_partners"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contract_partners",
        verbose_name=_("partner logins"),
    )

    class Meta:
        verbose_name = _("contract partner")
        verbose_name_plural = _("contract partners")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="pulse_partner_code")
        ]
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name


class PulseEvent(models.Model):
    """A completed customer moment reported by the corporation's systems."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pulse_events"
    )
    source_id = models.CharField(_("source id"), max_length=80)
    moment = models.ForeignKey(CustomerMoment, on_delete=models.RESTRICT, related_name="events")
    partner = models.ForeignKey(
        ContractPartner, on_delete=models.RESTRICT, null=True, blank=True, related_name="events"
    )
    area = models.CharField(_("complex or area"), max_length=80, blank=True)
    occurred_on = models.DateField(_("date of the moment"))
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("customer-moment event")
        verbose_name_plural = _("customer-moment events")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"], name="pulse_event_source_once"
            )
        ]


class Contact(models.Model):
    """How to reach the tenant of one event; erased when the survey link expires."""

    event = models.OneToOneField(PulseEvent, on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    address_key = models.CharField(
        max_length=64, db_index=True, help_text="SHA-256 of the normalised address: the 90-day rule"
    )
    erased_at = models.DateTimeField(null=True, blank=True)


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    CARD = "card", _("card with QR code")


class InvitationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("skipped (asked recently)")
    ANSWERED = "answered", _("answered")
    EXPIRED = "expired", _("expired")
    FAILED = "failed", _("failed")


class PulseInvitation(DeliveryFields):
    """One survey invitation by e-mail or SMS; the delivery fields hold the provider's report."""

    event = models.OneToOneField(PulseEvent, on_delete=models.CASCADE, related_name="invitation")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The link is derived from this nonce and the secret key (pulse.links), so a resend after a
    # crash carries the same link while the database never holds a usable one.
    link_nonce = models.CharField(max_length=64)
    send_after = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.SCHEDULED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "send_after"], name="pulse_inv_due")]


class PulseResponse(models.Model):
    """One tenant's answers. Month, not date: a day and a partner could point at one visit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pulse_responses"
    )
    moment = models.ForeignKey(CustomerMoment, on_delete=models.RESTRICT, related_name="responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.RESTRICT)
    partner = models.ForeignKey(
        ContractPartner, on_delete=models.RESTRICT, null=True, blank=True, related_name="responses"
    )
    area = models.CharField(max_length=80, blank=True)
    month = models.DateField(help_text="First day of the month of the moment")
    grade = models.PositiveSmallIntegerField()
    drivers = models.JSONField(default=dict)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    open_answer = models.TextField(blank=True)

    objects = PulseResponseQuerySet.as_manager()
    # Unguarded: for pulse.aggregates' write path only, which updates the summaries alongside.
    summarised = models.Manager()  # noqa: DJ012 (after objects: the guarded one is the default)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "moment", "month"], name="pulse_resp_org_month"),
            models.Index(fields=["partner", "month"], name="pulse_resp_partner_month"),
        ]

    def save(self, *args, **kwargs):
        if self._state.adding or touches_summaries(kwargs.get("update_fields")):
            raise SummaryBypass(SUMMARY_BYPASS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SummaryBypass(SUMMARY_BYPASS)


class PulseMonthly(models.Model):
    """Monthly summary of the answers per organisation × moment × partner × month × question:
    every published figure (mean, interval, share dissatisfied, trend, quarter, drivers) is
    computed from these sums. ``question`` is ``#grade`` for the 1–10 grade, otherwise a driver
    code (then ``n`` counts answers and ``total`` the yeses). ``partner_key`` is the partner's id
    or 0 for none, so the summary row is unique. Kept by ``pulse.aggregates`` (the only write
    path of answers) in the answer's transaction; ``manage.py pulse_rebuild_summaries`` rebuilds it from the answers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    moment = models.ForeignKey(CustomerMoment, on_delete=models.CASCADE, related_name="+")
    partner_key = models.IntegerField()
    month = models.DateField()
    question = models.CharField(max_length=60)
    n = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)
    squares = models.BigIntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "moment", "partner_key", "month", "question"],
                name="pulse_monthly_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "partner_key", "month"], name="pulse_monthly_partner"
            )
        ]


class CallBackStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class CallBack(models.Model):
    """A tenant who gave a low grade and asked the corporation to contact them. Handled by the
    people of the corporation who hold the pulse's ``handle_callbacks`` capability; closed only
    with an outcome, which stays, while the contact details are erased."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(
        PulseResponse, on_delete=models.CASCADE, related_name="call_back"
    )
    partner = models.ForeignKey(
        ContractPartner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied from the contact with the tenant's consent; erased when the call-back is done.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    deadline = models.DateField(_("due date"))
    status = models.CharField(
        max_length=8, choices=CallBackStatus.choices, default=CallBackStatus.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    note = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == CallBackStatus.OPEN and self.deadline < today


class CardLink(models.Model):
    """An open survey link for one moment, printed as a QR code on a card left after a visit.

    Unlike an invitation it is not personal: it carries no contact details (so no call-back)
    and can be answered by anyone holding the card, a limited number of times per address.
    Like an invitation the link is derived from a nonce and the secret key and stored hashed;
    replacing or revoking it makes printed cards stop working."""

    moment = models.ForeignKey(CustomerMoment, on_delete=models.CASCADE, related_name="card_links")
    token_hash = models.CharField(max_length=64, unique=True)
    link_nonce = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("card link")
        verbose_name_plural = _("card links")
