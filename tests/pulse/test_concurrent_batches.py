"""Two batches with the same source ids at the same moment (an integration's retry while the
first is still being stored) are answered like a repeat: one stores, the other finds the events
already received. No server error.

On PostgreSQL both threads really overlap: each is held just after its "already received?"
check until the other arrives there too (at most a few seconds), so without the lock per
organisation both would insert and one would hit the unique constraint. SQLite lets one writer
in at a time, so there the test checks the outcome without the overlap."""

import threading

import pytest
from django.db import connections

from pulse import services
from pulse.models import PulseEvent
from pulse.services import events as event_services

from .conftest import event

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_batches_with_the_same_ids_at_once_store_once_and_answer_like_a_repeat(
    org_a, moments, monkeypatch
):
    both_checked = threading.Barrier(2, timeout=3)
    partners = event_services._partners

    def partners_after_the_check(*args, **kwargs):
        try:
            both_checked.wait()
        except threading.BrokenBarrierError:
            pass  # the other batch waits on the lock: nothing to overlap with
        return partners(*args, **kwargs)

    monkeypatch.setattr(event_services, "_partners", partners_after_the_check)
    start = threading.Barrier(2)
    reports, errors = [None, None], [None, None]

    def ingest(index):
        try:
            start.wait()
            reports[index] = services.events_ingest(organisation=org_a, items=[event(1), event(2)])
        except Exception as exc:  # collected for the assertions
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ingest, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [None, None]
    assert sorted((r.created, r.already_received) for r in reports) == [(0, 2), (2, 0)]
    assert PulseEvent.objects.filter(organisation=org_a).count() == 2
