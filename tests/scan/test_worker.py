"""Invitations through a real Celery worker (Redis when REDIS_URL is set, else in-memory)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from cms.celery import app
from cms.settings.queues import QUEUES
from core.models import OutgoingMail
from core.tasks import send_mail_task
from scan import services
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def worker(settings):
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app,
            perform_ping_check=False,
            pool="solo",
            concurrency=1,
            shutdown_timeout=10,
            queues=list(QUEUES),  # mail tasks go to the "mail" queue
        ):
            yield app
    finally:
        app.conf.task_always_eager = True


def test_worker_sends_each_invitation_exactly_once_even_when_tasks_repeat(worker, round_a):
    for i in range(3):
        factories.respondent(round_a, email=f"r{i}@x.nl")
    services.invitations_queue(scan_round=round_a)  # enqueued on commit (autocommit here)
    ids = list(OutgoingMail.objects.values_list("pk", flat=True))
    # A duplicated delivery of every task, as after a broker redelivery.
    results = [send_mail_task.apply_async(args=[pk]) for pk in ids]
    del results
    import time

    deadline = time.monotonic() + 30
    while (
        time.monotonic() < deadline and OutgoingMail.objects.filter(sent_at__isnull=True).exists()
    ):
        time.sleep(0.2)
    time.sleep(1.0)  # let the duplicates run too
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["r0@x.nl", "r1@x.nl", "r2@x.nl"]
