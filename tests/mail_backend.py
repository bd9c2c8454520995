"""A mail backend that behaves like a slow SMTP server and records to a folder.

Used by a Celery worker that a test starts in another process (tests/scan/test_worker_kill.py).
Per message it writes a "sending" marker, waits KLANTRAAT_TEST_MAIL_DELAY seconds as a slow
server does, then writes one "delivered" file (recipient, Message-ID, process, worker label).
While a file named "hold" exists in the folder the server stalls after the delay (and writes a
"held" marker), so the test can kill the worker with sends certainly in flight.
"""

import json
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

HOLD_LIMIT = 60.0  # seconds; never stall longer than a test can wait


def write_json(path: Path, data: dict) -> None:
    """Write a file whole (via a rename), so a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def record_slowly(record: dict) -> None:
    """What the slow server does with one message: sending marker, delay, hold, delivered."""
    folder = Path(settings.KLANTRAAT_TEST_MAIL_DIR)
    send_id = uuid.uuid4().hex
    write_json(folder / f"sending-{send_id}.json", record)
    time.sleep(settings.KLANTRAAT_TEST_MAIL_DELAY)
    hold = folder / "hold"
    if hold.exists():
        write_json(folder / f"held-{send_id}.json", record)
        deadline = time.monotonic() + HOLD_LIMIT
        while hold.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    write_json(folder / f"delivered-{send_id}.json", record)


def _worker_label() -> dict:
    return {"pid": os.getpid(), "worker": os.environ.get("KLANTRAAT_TEST_WORKER_LABEL", "")}


class RecordingSlowBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            record_slowly(
                {
                    "to": list(message.recipients()),
                    "message_id": message.message()["Message-ID"],
                    "subject": message.subject,
                    **_worker_label(),
                }
            )
        return len(email_messages)


class RecordingSlowSmsBackend:
    """The same slow recording server for texts (KLANTRAAT_SMS_BACKEND in a test worker)."""

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        record_slowly({"to": [to], "message_id": reference, "subject": "sms", **_worker_label()})
        return f"sms-{uuid.uuid4().hex}"
