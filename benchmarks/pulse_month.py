"""A simulated month of the tenant pulse through the outbox, run by pulse_bench.py.

PULSE_MONTH_CORPORATIONS corporations (default 300) × PULSE_MONTH_TENANTS tenants each (default
50,000); a tenant has a customer moment this month with chance PULSE_MONTH_SHARE (default
0.04), so the full size is about 600,000 invitations (nine in ten by e-mail, one in ten by SMS).
PULSE_MONTH_TENANTS defaults to 500 (about 6,000 invitations) to keep `make bench` short; the
full month:

    DATABASE_URL=postgres://… PULSE_BENCH_ONLY=month PULSE_MONTH_TENANTS=50000 \
        .venv/bin/python benchmarks/pulse_bench.py

The beat task queues every due invitation in the outbox (in its batches); the sending task
then runs batch by batch in PULSE_MONTH_WORKERS processes (default 4), as mail workers would,
with a fake transport that builds every message (MIME for mail) and throws it away. Prints
the time per 10,000."""

from __future__ import annotations

import datetime as dt
import os
import random
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

CORPORATIONS = int(os.environ.get("PULSE_MONTH_CORPORATIONS", "300"))
TENANTS = int(os.environ.get("PULSE_MONTH_TENANTS", "500"))
SHARE = float(os.environ.get("PULSE_MONTH_SHARE", "0.04"))
WORKERS = int(os.environ.get("PULSE_MONTH_WORKERS", "4"))
SEED_BATCH = 20_000


class FakeMailBackend(BaseEmailBackend):
    """Builds each message as a mail server would receive it, then drops it."""

    sent = 0

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        FakeMailBackend.sent += len(email_messages)
        return len(email_messages)


class FakeSmsBackend:
    sent = 0

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        FakeSmsBackend.sent += 1
        return f"fake-{FakeSmsBackend.sent}"


def _seed(rng: random.Random) -> int:
    """Corporations with their moments, and this month's events with contacts and scheduled
    invitations, written in bulk. Returns the number of invitations."""
    from core.models import Organisation
    from core.outbox import address_key
    from pulse import services
    from pulse.links import link_hash, new_nonce
    from pulse.models import (
        Channel,
        Contact,
        CustomerMoment,
        InvitationStatus,
        PulseEvent,
        PulseInvitation,
    )

    now = timezone.now()
    today = timezone.localdate()
    plan = []
    for index in range(CORPORATIONS):
        organisation = Organisation.objects.create(
            name=f"Maandcorporatie {index:03d}", slug=f"month-{index:03d}"
        )
        services.moments_install_defaults(organisation=organisation)
        moments = list(CustomerMoment.objects.filter(organisation=organisation))
        invited = sum(rng.random() < SHARE for _ in range(TENANTS))
        plan.extend((organisation, rng.choice(moments), n) for n in range(invited))
    total = 0
    for start in range(0, len(plan), SEED_BATCH):
        chunk = plan[start : start + SEED_BATCH]
        events = PulseEvent.objects.bulk_create(
            [
                PulseEvent(
                    organisation=org,
                    source_id=f"M-{start + i}",
                    moment=moment,
                    occurred_on=today - dt.timedelta(days=n % 28),
                )
                for i, (org, moment, n) in enumerate(chunk)
            ]
        )
        contacts, invitations = [], []
        for i, event in enumerate(events):
            by_sms = (start + i) % 10 == 0
            email = "" if by_sms else f"huurder{start + i}@example.nl"
            phone = f"06{start + i:08d}" if by_sms else ""
            contacts.append(
                Contact(event=event, email=email, phone=phone, address_key=address_key(email))
            )
            nonce = new_nonce()
            invitations.append(
                PulseInvitation(
                    event=event,
                    channel=Channel.SMS if by_sms else Channel.EMAIL,
                    link_nonce=nonce,
                    token_hash=link_hash(nonce),
                    send_after=now - dt.timedelta(minutes=5),
                    expires_at=now + dt.timedelta(days=14),
                    status=InvitationStatus.SCHEDULED,
                )
            )
        Contact.objects.bulk_create(contacts)
        PulseInvitation.objects.bulk_create(invitations)
        total += len(invitations)
    return total


def _worker(batches: list[list[int]], results) -> None:
    from django.db import connection

    from core.outbox import outbox_send_batch

    connection.close()  # a connection of its own, as a worker process has
    sent, start = 0, time.perf_counter()
    with override_settings(
        EMAIL_BACKEND="pulse_month.FakeMailBackend",
        KLANTRAAT_SMS_BACKEND="pulse_month.FakeSmsBackend",
    ):
        for batch in batches:
            sent += outbox_send_batch(batch)
            if sent and sent % 20_000 < len(batch):
                took = time.perf_counter() - start
                print(f"  worker {os.getpid()}: {sent:,} sent, {took:.0f} s", flush=True)
    connection.close()
    results.put(sent)


def _send_in_workers(batches: list[list[int]]) -> int:
    import multiprocessing

    from django.db import connection

    connection.close()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(batches[n::WORKERS], results)) for n in range(WORKERS)
    ]
    for process in processes:
        process.start()
    sent = sum(results.get() for _ in processes)
    for process in processes:
        process.join()
    return sent


class StandInAutovacuum:
    """Keeps the planner's statistics of the tables the month fills, as autovacuum does in
    production. Where the server runs without autovacuum (some test machines), an outbox that
    grows from empty to 600,000 rows in one run keeps the statistics of an empty table, and
    every lookup by key or reference becomes a scan of the whole table. The first ANALYZE runs
    before the month starts, so a mistake here stops the benchmark at once; one in the
    background thread is raised when the month ends."""

    def __init__(self, every: float = float(os.environ.get("PULSE_MONTH_ANALYZE_EVERY", "15"))):
        import threading

        self.every, self.stopped = every, threading.Event()
        self.runs = 0
        self.autovacuum: str | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.failure: BaseException | None = None

    def _analyze(self) -> None:
        """ANALYZE on the calling thread's own database connection (Django keeps one per
        thread, in autocommit)."""
        from django.db import connection

        from core.models import OutgoingMail
        from pulse.models import PulseInvitation

        tables = ", ".join(m._meta.db_table for m in (OutgoingMail, PulseInvitation))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
        self.runs += 1

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self.stopped.wait(self.every):
                self._analyze()
        except BaseException as failure:  # raised in the benchmark's thread by __exit__
            self.failure = failure
        finally:
            connection.close()

    def __enter__(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            self.autovacuum = cursor.fetchone()[0]
        if self.autovacuum == "off":
            self._analyze()
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()
        if self.autovacuum == "off":
            print(
                f"statistics: this server runs without autovacuum; ANALYZE every {self.every:g} s"
                f" stood in for it ({self.runs} times)"
            )
        if self.failure is not None and exc[0] is None:
            raise self.failure


def simulated_month() -> None:
    from core.outbox import queue as outbox
    from pulse import services

    rng = random.Random(23)
    start = time.perf_counter()
    invitations = _seed(rng)
    print(
        f"\nsimulated month: {CORPORATIONS} corporations × {TENANTS:,} tenants, "
        f"{invitations:,} invitations seeded in {time.perf_counter() - start:.1f} s"
    )
    # The broker: batches handed over after each commit are collected, then worked off below.
    batches: list[list[int]] = []
    real_publish = outbox._publish
    outbox._publish = lambda ids: batches.append(list(ids)) or True  # type: ignore[assignment]
    with StandInAutovacuum():
        try:
            start = time.perf_counter()
            queued = services.invitations_send_due()["queued"]
            queue_took = time.perf_counter() - start
        finally:
            outbox._publish = real_publish  # type: ignore[assignment]
        start = time.perf_counter()
        sent = _send_in_workers(batches)
        send_took = time.perf_counter() - start
    per = 10_000 / max(queued, 1)
    print(
        f"queue (beat task, {queued:,} invitations): {queue_took:.1f} s, "
        f"{queue_took * per:.2f} s per 10,000"
    )
    print(
        f"send ({sent:,} through the outbox, {len(batches):,} batches of up to "
        f"{outbox.BATCH}, {WORKERS} worker processes): {send_took:.1f} s, "
        f"{send_took * per:.2f} s per 10,000"
    )
    print(f"queue and send: {(queue_took + send_took) * per:.2f} s per 10,000 invitations")
