"""Fault on purpose: the Celery worker is killed (SIGKILL) while it sends invitations.

A real worker runs in its own process group and sends through a slow recording mail backend
(tests/mail_backend.py). Mid-batch the test stalls both pool processes inside a send, kills the
whole group and starts a fresh worker. With Redis (REDIS_URL set) late acknowledgement alone
brings the mails back: Redis hands the killed worker's unacknowledged messages out again after
the visibility timeout, and the sweeper does not run. The filesystem transport (used without
REDIS_URL) drops a message once a worker has taken it, so there the sweeper queues the mails
again, as beat does in production. Either way every respondent gets exactly one mail.
"""

import json
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from cms.broker import filesystem_broker_options, make_broker_folders
from cms.celery import app
from core import outbox
from core.models import OutgoingMail
from scan import services
from tests import factories
from tests.broker import reset_pool
from tests.worker_process import WorkerProcess, alive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

ROOT = Path(django_settings.BASE_DIR)
RESPONDENTS = 20
CONCURRENCY = 2
SEND_DELAY = 0.3  # seconds the fake SMTP server takes per message
CLAIM_TIMEOUT = 3  # seconds before a dead worker's claim may be taken over
VISIBILITY_TIMEOUT = 6  # seconds before Redis hands out an unacknowledged message again
DEADLINE = 60  # seconds for the whole scenario


@pytest.fixture
def folder():
    path = Path(tempfile.mkdtemp(prefix="klantraat-kill-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def broker(folder):
    """A broker shared by this process and the worker processes: Redis (under a key prefix of
    its own) when REDIS_URL is set, otherwise kombu's filesystem transport in a temp folder."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        prefix = f"klantraat-kill-{uuid.uuid4().hex}:"
        url = redis_url
        options = {
            "global_keyprefix": prefix,
            "visibility_timeout": VISIBILITY_TIMEOUT,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
    else:
        url = "filesystem://"
        queue = folder / "broker"
        options = {
            **filesystem_broker_options(queue),
            "polling_interval": 0.1,  # the default second per message would drag the batch out
        }
        make_broker_folders(options)
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    reset_pool()
    try:
        yield SimpleNamespace(url=url, options=options, redelivers=bool(redis_url))
    finally:
        (
            app.conf.task_always_eager,
            app.conf.broker_url,
            app.conf.broker_transport_options,
        ) = saved
        reset_pool()
        if redis_url:
            import redis

            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(match=f"{options['global_keyprefix']}*"):
                client.delete(key)
            client.close()


def database_url() -> str:
    """The test database this process uses, as a DATABASE_URL for the worker."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = quote(db["HOST"] or "", safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise AssertionError(f"no worker database URL for {db['ENGINE']}")


class Mailbox:
    """What the fake SMTP server recorded: sending / held / delivered files per message."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    def _records(self, kind: str) -> dict[str, dict]:
        records = {}
        for file in self.path.glob(f"{kind}-*.json"):
            records[file.stem.split("-", 1)[1]] = json.loads(file.read_text())
        return records

    def sending(self):
        return self._records("sending")

    def held(self):
        return self._records("held")

    def delivered(self):
        return self._records("delivered")

    def in_flight(self) -> dict[str, dict]:
        delivered = self.delivered()
        return {key: r for key, r in self.sending().items() if key not in delivered}

    def hold(self):
        (self.path / "hold").touch()

    def release(self):
        (self.path / "hold").unlink()


@pytest.fixture
def workers(broker, folder):
    """Starts worker processes against this test's database, broker and mail folder; kills
    whatever is still running at the end, even after a failure."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker.url,
        "KLANTRAAT_TEST_BROKER_OPTIONS": json.dumps(broker.options),
        "KLANTRAAT_TEST_EMAIL_BACKEND": "tests.mail_backend.RecordingSlowBackend",
        "KLANTRAAT_TEST_SMS_BACKEND": "tests.mail_backend.RecordingSlowSmsBackend",
        "KLANTRAAT_TEST_MAIL_DIR": str(folder / "mail"),
        "KLANTRAAT_TEST_MAIL_DELAY": str(SEND_DELAY),
        "KLANTRAAT_MAIL_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    started: list[WorkerProcess] = []

    def start(label: str) -> WorkerProcess:
        worker = WorkerProcess(
            label,
            {**env, "KLANTRAAT_TEST_WORKER_LABEL": label},
            folder / f"worker-{label}.log",
            app="cms",
            queues="celery,mail,reports,pulse",
            concurrency=CONCURRENCY,
        )
        started.append(worker)
        return worker

    start.started = started
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def test_worker_killed_mid_batch_then_restarted_sends_every_invitation_exactly_once(
    round_a, folder, broker, workers, settings
):
    settings.KLANTRAAT_MAIL_CLAIM_TIMEOUT = CLAIM_TIMEOUT  # the sweeper below, as in the worker
    settings.KLANTRAAT_MAIL_PENDING_GRACE = 1
    settings.KLANTRAAT_OUTBOX_BATCH = 2  # ten sending tasks: both pool processes busy
    mailbox = Mailbox(folder / "mail")
    emails = [f"r{i:02d}@x.nl" for i in range(RESPONDENTS)]
    for email in emails:
        factories.respondent(round_a, email=email)
    deadline = time.monotonic() + DEADLINE

    def wait_until(condition, what: str, sweep: bool = False) -> None:
        last_sweep = 0.0
        while not condition():
            if time.monotonic() > deadline:
                logs = "\n".join(w.log_tail() for w in workers.started)
                pytest.fail(f"timed out waiting until {what}\n{logs}")
            if sweep and time.monotonic() - last_sweep > 1:
                outbox.mails_send_pending()  # what beat runs every few minutes in production
                last_sweep = time.monotonic()
            time.sleep(0.05)

    first = workers("first")
    # Committed at once (no transaction around the test): the tasks go to the broker now.
    assert services.invitations_queue(scan_round=round_a) == RESPONDENTS
    wait_until(lambda: len(mailbox.delivered()) >= 4, "the first worker has delivered some mail")

    # Stall the fake SMTP server until both pool processes are inside a send, then kill the
    # whole worker (main process and pool) at once.
    mailbox.hold()
    wait_until(lambda: len(mailbox.held()) >= CONCURRENCY, "both pool processes are mid-send")
    in_flight = mailbox.in_flight()
    first.kill()
    assert first.process.returncode == -signal.SIGKILL
    pool_pids = {record["pid"] for record in in_flight.values()}
    wait_until(lambda: not any(alive(pid) for pid in pool_pids), "the pool processes are gone")
    mailbox.release()

    in_flight_to = sorted(record["to"][0] for record in in_flight.values())
    assert len(in_flight_to) == CONCURRENCY
    delivered_before = mailbox.delivered()
    assert delivered_before and len(delivered_before) < RESPONDENTS - CONCURRENCY  # mid-batch
    interrupted = OutgoingMail.objects.filter(respondent_mail__respondent__email__in=in_flight_to)
    assert all(m.claimed_at and m.sent_at is None for m in interrupted)

    # A fresh worker. Where the broker cannot hand the lost messages out again, the sweeper
    # runs meanwhile, as beat would.
    workers("second")

    def all_sent_and_quiet() -> bool:
        """Every row sent, and no send under way (the killed sends never finish)."""
        return not OutgoingMail.objects.filter(sent_at__isnull=True).exists() and not (
            mailbox.in_flight().keys() - in_flight.keys()
        )

    wait_until(all_sent_and_quiet, "every mail is sent", sweep=not broker.redelivers)
    time.sleep(1.0)  # a duplicate task that would send twice would be sending by now
    wait_until(all_sent_and_quiet, "no send is left in flight")

    delivered = list(mailbox.delivered().values())
    per_recipient = Counter(record["to"][0] for record in delivered)
    assert sorted(per_recipient) == emails  # everybody got mail ...
    assert [to for to, count in per_recipient.items() if count > 1] == []  # ... exactly once
    by_recipient = {record["to"][0]: record for record in delivered}
    # The mails that were in flight at the kill came from the second worker, on a new attempt.
    assert {to: by_recipient[to]["worker"] for to in in_flight_to} == dict.fromkeys(
        in_flight_to, "second"
    )
    assert all(m.attempts >= 2 for m in interrupted.all())
    assert {r["worker"] for r in delivered_before.values()} == {"first"}
    # Every mail carries its row's stable Message-ID.
    for outgoing in OutgoingMail.objects.select_related("respondent_mail__respondent"):
        assert outgoing.sent_at is not None
        assert by_recipient[outgoing.respondent_mail.respondent.email]["message_id"] == (
            outbox.mail_message_id(outgoing)
        )
