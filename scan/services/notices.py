"""Mail to people with a login (an assigned action, an ask for the consultant): written in full
when queued and sent through the one outbox, so it is claimed, retried and swept like every
other mail. The one place that writes such a mail: adapt it here when the outbox changes."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Organisation, OutgoingMail
from ..models.mail import NOTICE
from .outbox import mails_enqueue


@dataclass(frozen=True)
class Notice:
    to: str
    subject: str
    body: str


def notices_queue(*, organisation: Organisation | None, notices: list[Notice]) -> int:
    """Queue ``notices`` in ``organisation``'s name (replies go to its reply-to address); they
    leave once the caller's transaction commits. Returns how many were queued."""
    rows = OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(
                organisation=organisation,
                to_address=notice.to,
                kind=NOTICE,
                subject=" ".join(notice.subject.split())[:300],
                body=notice.body,
            )
            for notice in notices
            if notice.to
        ]
    )
    mails_enqueue([row.pk for row in rows])
    return len(rows)
