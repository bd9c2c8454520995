"""Beat's schedule entries run through a real worker (Redis when REDIS_URL is set)."""

import time

import pytest
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from actions import services
from cms.celery import app
from cms.settings.queues import QUEUES
from core.permissions import access_for
from scan.models import RoundStatus, ScanRound

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app,
            perform_ping_check=False,
            pool="solo",
            concurrency=1,
            shutdown_timeout=10,
            queues=list(QUEUES),  # reminders go to the "mail" queue
        ):
            yield app
    finally:
        app.conf.task_always_eager = True


def test_beat_entry_prepares_the_due_evaluation_once(worker, people, org_a, closed_round):
    services.schedule_set(organisation=org_a, interval_months=12, next_due_on=timezone.localdate())
    scheduler = Scheduler(app=app, lazy=False)
    entry = scheduler.schedule["prepare-evaluations"]
    scheduler.apply_entry(entry)
    assert wait_for(lambda: ScanRound.objects.filter(previous_round=closed_round).exists())
    scheduler.apply_entry(entry)  # the next tick finds nothing due
    time.sleep(2)
    drafts = ScanRound.objects.filter(previous_round=closed_round)
    assert drafts.count() == 1 and drafts.get().status == RoundStatus.DRAFT


def test_beat_entry_sends_each_reminder_once(worker, people, org_a, closed_round):
    import datetime as dt

    services.action_create(
        access=access_for(people["workgroup_a"], org_a),
        title="Bijna klaar",
        cells=["KP1"],
        due_on=timezone.localdate() + dt.timedelta(days=2),
        status="planned",
    )
    scheduler = Scheduler(app=app, lazy=False)
    entry = scheduler.schedule["action-reminders"]
    scheduler.apply_entry(entry)
    scheduler.apply_entry(entry)
    assert wait_for(lambda: len(mail.outbox) >= 1)
    time.sleep(2)
    assert [m.to for m in mail.outbox] == [[people["workgroup_a"].email]]
