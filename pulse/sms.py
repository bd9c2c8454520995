"""Pluggable SMS sending, like Django's mail backends: a file backend locally (one file per
message under var/sms/), a provider's API in production (KLANTRAAT_SMS_BACKEND)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from core.models import Delivery
from core.outbox import DeliveryReport


class BaseSmsBackend:
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        """Send one text; returns the provider's message id (its delivery receipt names it)."""
        raise NotImplementedError


class FileSmsBackend(BaseSmsBackend):
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        folder = Path(
            getattr(settings, "KLANTRAAT_SMS_FILE_PATH", Path(settings.BASE_DIR) / "var" / "sms")
        )
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        (folder / f"{stamp}.txt").write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        return f"file-{stamp}"


class LocmemSmsBackend(BaseSmsBackend):
    """For tests: messages collect in ``outbox``."""

    outbox: list[dict[str, str]] = []

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        message_id = f"locmem-{len(self.outbox)}"
        self.outbox.append({"to": to, "text": text, "id": message_id})
        return message_id


class TwilioSmsBackend(BaseSmsBackend):
    """Twilio's Messages API (the official client), asking for a delivery receipt at
    /webhooks/sms/status/ (pulse.views_sms checks Twilio's signature). Settings:
    KLANTRAAT_TWILIO_ACCOUNT_SID, KLANTRAAT_TWILIO_AUTH_TOKEN and KLANTRAAT_TWILIO_FROM (a number
    or a messaging service id, MG…)."""

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        from django.urls import reverse
        from twilio.rest import Client

        client = Client(settings.KLANTRAAT_TWILIO_ACCOUNT_SID, settings.KLANTRAAT_TWILIO_AUTH_TOKEN)
        sender = settings.KLANTRAAT_TWILIO_FROM
        origin = {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        message = client.messages.create(
            to=to,
            body=text,
            status_callback=settings.KLANTRAAT_BASE_URL + reverse("pulse_webhooks:sms_status"),
            **origin,
        )
        return str(message.sid)


def sms_backend() -> BaseSmsBackend:
    path = getattr(settings, "KLANTRAAT_SMS_BACKEND", "pulse.sms.FileSmsBackend")
    return import_string(path)()


# Twilio error codes that mean the number itself is wrong: never texted again.
BAD_NUMBER_ERRORS = {"21211", "21614", "30005", "30006"}


def receipt_report(fields: dict[str, str]) -> DeliveryReport | None:
    """A Twilio status callback as a delivery report; None for anything that is not one."""
    sid, status = fields.get("MessageSid", ""), fields.get("MessageStatus", "")
    if not sid or status not in ("queued", "sending", "sent", "delivered", "undelivered", "failed"):
        return None
    error = fields.get("ErrorCode", "")
    delivery: str
    if status == "delivered":
        delivery = Delivery.DELIVERED
    elif status in ("undelivered", "failed"):
        delivery = Delivery.HARD_BOUNCE if error in BAD_NUMBER_ERRORS else Delivery.SOFT_BOUNCE
    else:
        delivery = ""
    return DeliveryReport(
        message_id=sid,
        delivery=delivery,
        reason=f"Twilio {error}" if error else "",
        recipient=fields.get("To", ""),
    )
