"""Pluggable SMS sending, like Django's mail backends: a file backend locally (one file per
message under var/sms/), a provider's API in production (KLANTRAAT_SMS_BACKEND)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class BaseSmsBackend:
    def send(self, *, to: str, text: str) -> None:
        raise NotImplementedError


class FileSmsBackend(BaseSmsBackend):
    def send(self, *, to: str, text: str) -> None:
        folder = Path(
            getattr(settings, "KLANTRAAT_SMS_FILE_PATH", Path(settings.BASE_DIR) / "var" / "sms")
        )
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        (folder / f"{stamp}.txt").write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")


class LocmemSmsBackend(BaseSmsBackend):
    """For tests: messages collect in ``outbox``."""

    outbox: list[dict[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        self.outbox.append({"to": to, "text": text})


def sms_backend() -> BaseSmsBackend:
    path = getattr(settings, "KLANTRAAT_SMS_BACKEND", "pulse.sms.FileSmsBackend")
    return import_string(path)()
