"""Fault on purpose, for every kind of message: a real Celery worker is killed (SIGKILL) while
it sends a kind's messages through the outbox; a fresh worker and the sweeper send the rest.
Every message goes out exactly once, the interrupted ones on a second attempt. The machinery
(broker, worker processes, the slow recording mail and SMS server) is that of
test_worker_kill.py."""

import signal
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from actions.services.reminders import ACTION_REMINDER
from core import outbox
from core.models import OutgoingMail
from core.models.outbox import LINK_MARK
from pulse import services as pulse_services
from pulse.models import MessageKind
from scan import services
from scan.models import MailKind
from tests import factories
from tests.pulse.conftest import event
from tests.scan.test_worker_kill import (  # noqa: F401 (fixtures)
    CLAIM_TIMEOUT,
    DEADLINE,
    Mailbox,
    broker,
    folder,
    workers,
)
from tests.worker_process import alive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

MESSAGES = 6
BATCH = 2  # three sending tasks per kind: both pool processes are busy at the kill


def _scan_invitations(round_a) -> list[str]:
    emails = [f"r{i}@x.nl" for i in range(MESSAGES)]
    for email in emails:
        factories.respondent(round_a, email=email)
    services.invitations_queue(scan_round=round_a)
    return emails


def _pulse(round_a, *, sms: bool) -> list[str]:
    organisation = round_a.organisation
    pulse_services.moments_install_defaults(organisation=organisation)
    items = [
        event(
            i,
            partner="",
            email="" if sms else f"huurder{i}@example.nl",
            phone=f"06123456{i:02d}" if sms else "",
        )
        for i in range(MESSAGES)
    ]
    report = pulse_services.events_ingest(organisation=organisation, items=items)
    later = max(e.invitation.send_after for e in report.events)
    assert pulse_services.invitations_send_due(now=later)["queued"] == MESSAGES
    return [item.phone or item.email for item in items]


def _stored(kind: str):
    def make(round_a) -> list[str]:
        addresses = [f"{kind}{i}@x.nl" for i in range(MESSAGES)]
        for address in addresses:
            ref = None
            if kind == MailKind.ACCOUNT:  # the password link is made as the mail leaves
                ref = get_user_model().objects.create_user(email=address).pk
            outbox.message_enqueue(
                kind=kind, to=address, subject=kind, body=f"Hallo {LINK_MARK}", ref_id=ref
            )
        return addresses

    return make


KINDS = {
    "scan invitations": _scan_invitations,
    "pulse invitations by mail": lambda r: _pulse(r, sms=False),
    "pulse invitations by SMS": lambda r: _pulse(r, sms=True),
    "action reminders": _stored(ACTION_REMINDER),
    "account mails": _stored(MailKind.ACCOUNT),
    "call-back notices": _stored(MessageKind.CALL_BACK),
    "questions for the consultant": _stored(MailKind.ASK),
    "report-ready notices": _stored("report_ready"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_worker_killed_mid_kind_then_replaced_sends_every_message_once(
    kind,
    round_a,
    folder,  # noqa: F811 (the fixtures of test_worker_kill)
    broker,  # noqa: F811
    workers,  # noqa: F811
    settings,
):
    settings.KLANTRAAT_MAIL_CLAIM_TIMEOUT = CLAIM_TIMEOUT
    settings.KLANTRAAT_MAIL_PENDING_GRACE = 1
    settings.KLANTRAAT_OUTBOX_BATCH = BATCH
    mailbox = Mailbox(folder / "mail")
    deadline = time.monotonic() + DEADLINE

    def wait_until(condition, what: str, sweep: bool = False) -> None:
        last_sweep = 0.0
        while not condition():
            if time.monotonic() > deadline:
                logs = "\n".join(w.log_tail() for w in workers.started)
                pytest.fail(f"timed out waiting until {what}\n{logs}")
            if sweep and time.monotonic() - last_sweep > 1:
                outbox.mails_send_pending()  # what beat runs every few minutes
                last_sweep = time.monotonic()
            time.sleep(0.05)

    mailbox.hold()  # the first sends stall: the kill certainly falls mid-send
    first = workers("first")
    addresses = KINDS[kind](round_a)  # committed at once: the batches go to the broker now
    wait_until(lambda: len(mailbox.held()) >= 2, "both pool processes are mid-send")
    in_flight = mailbox.in_flight()
    first.kill()
    assert first.process.returncode == -signal.SIGKILL
    pool_pids = {record["pid"] for record in in_flight.values()}
    wait_until(lambda: not any(alive(pid) for pid in pool_pids), "the pool processes are gone")
    mailbox.release()
    assert mailbox.delivered() == {}  # nothing got through the stalled server
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == MESSAGES

    workers("second")

    def all_sent_and_quiet() -> bool:
        return not OutgoingMail.objects.filter(sent_at__isnull=True).exists() and not (
            mailbox.in_flight().keys() - in_flight.keys()
        )

    wait_until(all_sent_and_quiet, "every message is sent", sweep=not broker.redelivers)
    time.sleep(1.0)  # a duplicate that would send twice would be sending by now
    wait_until(all_sent_and_quiet, "no send is left in flight")

    delivered = list(mailbox.delivered().values())
    per_address = Counter(record["to"][0] for record in delivered)
    assert sorted(per_address) == sorted(addresses)  # every message went out ...
    assert [a for a, n in per_address.items() if n > 1] == []  # ... exactly once
    assert {r["worker"] for r in delivered} == {"second"}
    interrupted = {record["to"][0] for record in in_flight.values()}
    assert len(interrupted) == 2
    for outgoing in OutgoingMail.objects.all():
        assert outgoing.sent_at is not None and outgoing.link_nonce == ""
        if outgoing.recipient in interrupted:
            assert outgoing.attempts >= 2  # the killed attempt, then the one that sent it
    for record in delivered:
        assert "[[klantraat-link]]" not in record["subject"]
