"""Faults on purpose: the broker is down while people work."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cms.celery import app
from core import outbox
from core.models import OutgoingMail
from scan import services
from scan.models import Respondent
from tests import factories
from tests.broker import reset_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, as when Redis has stopped."""
    saved = (
        app.conf.task_always_eager,
        app.conf.broker_url,
        app.conf.broker_connection_retry_on_startup,
    )
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_connection_timeout = 0.5
    reset_pool()
    yield
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_retry_on_startup = (
        saved
    )
    reset_pool()


def test_adding_a_respondent_while_the_broker_is_down_then_mail_goes_once_it_is_back(
    client, people, round_a, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(people["coordinator_a"])
    url = reverse("scan:respondent_add", kwargs={"org": "alfa", "pk": round_a.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "nieuw@x.nl", "group": round_a.groups.get(kind="staff").pk}
        )
    assert response.status_code == 302  # the person sees success: the work is saved
    respondent = Respondent.objects.get(email="nieuw@x.nl")
    queued = OutgoingMail.objects.get(respondent_mail__respondent=respondent)
    assert queued.sent_at is None and not mail.outbox

    # The broker is back (eager again); the sweeper runs once the grace period has passed.
    app.conf.task_always_eager = True
    later = timezone.now() + dt.timedelta(minutes=5)
    assert outbox.mails_send_pending(now=later) == 1
    assert outbox.mails_send_pending(now=later) == 0
    queued.refresh_from_db()
    assert queued.sent_at is not None
    assert [m.to for m in mail.outbox] == [["nieuw@x.nl"]]


def test_answers_are_saved_while_the_broker_is_down(client, round_a, broker_down):
    respondent = factories.respondent(round_a)
    token = services.respondent_issue_link(respondent)
    response = client.post(
        reverse("scan_public:respond_step", kwargs={"token": token, "step": "KP2"}),
        {"respondent_wizard-current_step": "KP2", "KP2-level__KP2_1": "4"},
    )
    assert response.status_code == 302
    assert respondent.answers.get().level == 4


def test_sweeper_leaves_recent_and_claimed_mails_alone(round_a):
    respondent = factories.respondent(round_a)
    fresh = factories.respondent_mail(respondent)
    assert outbox.mails_send_pending() == 0  # within the grace period
    OutgoingMail.objects.filter(pk=fresh.pk).update(claimed_at=timezone.now())
    assert (
        outbox.mails_send_pending(now=timezone.now() + dt.timedelta(minutes=3)) == 0
    )  # a worker has it


def test_sweeper_leaves_mails_of_a_closed_round_until_it_opens_again(round_a):
    """A mail of a closed round is refused by mail_send; queueing it again every few minutes
    would only count up its attempts. It goes out once the round is open again."""
    respondent = factories.respondent(round_a, email="later@x.nl")
    queued = factories.respondent_mail(respondent)
    services.round_set_status(scan_round=round_a, status="closed")
    later = timezone.now() + dt.timedelta(minutes=15)
    assert outbox.mails_send_pending(now=later) == 0
    queued.refresh_from_db()
    assert queued.attempts == 0 and queued.claimed_at is None

    services.round_set_status(scan_round=round_a, status="open")
    assert outbox.mails_send_pending(now=later) == 1
    queued.refresh_from_db()
    assert queued.sent_at is not None
    assert [m.to for m in mail.outbox] == [["later@x.nl"]]
