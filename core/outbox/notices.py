"""Mail to people with a login (an assigned action, a call-back handler): written in full when
queued and sent through the one outbox, so it is claimed, retried and swept like every other
message, and leaves only once the caller's transaction commits."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import OutgoingMail
from ..models.outbox import NOTICE
from .queue import messages_enqueue


@dataclass(frozen=True)
class Notice:
    to: str
    subject: str
    body: str


def notices_queue(*, notices: list[Notice], kind: str = NOTICE, reply_to: str = "") -> int:
    """Queue ``notices`` (those without an address are left out), replies going to
    ``reply_to`` when given; returns how many."""
    rows = messages_enqueue(
        [
            OutgoingMail(
                kind=kind,
                recipient=notice.to,
                reply_to=reply_to,
                subject=" ".join(notice.subject.split())[:300],
                body=notice.body,
            )
            for notice in notices
            if notice.to
        ]
    )
    return len(rows)
