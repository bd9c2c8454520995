"""Delivery reports of the mail service (django-anymail, Mailgun's signed status webhook with
its documented sample payloads): every state stored per mail, shown on the round page, a hard
bounce never mailed again, and anything forged or malformed refused without a change."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core.models import Delivery, MailStatus, OutgoingMail, Role, UndeliverableAddress
from core.outbox.queue import UNDELIVERABLE
from core.outbox.send import mail_send
from scan import services
from tests import factories

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "mailgun"
SIGNING_KEY = "test-mailgun-signing-key"
SECRET = "klantraat:webhook-secret-for-tests"
URL = "/webhooks/mail/events/"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("mail_service"),
]


@pytest.fixture
def mail_service():
    with override_settings(
        KLANTRAAT_MAIL_PROVIDER="mailgun",
        EMAIL_BACKEND="anymail.backends.test.EmailBackend",
        ANYMAIL={"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": SECRET},
    ):
        yield


def sample(name: str, *, message_id: str, recipient: str, key: str = SIGNING_KEY) -> str:
    """One of Mailgun's documented payloads about our mail, signed as Mailgun signs it."""
    payload = json.loads((SAMPLES / f"{name}.json").read_text())
    data = payload["event-data"]
    data["message"]["headers"]["message-id"] = message_id.strip("<>")
    if "recipient" in data:
        data["recipient"] = recipient
    data["message"]["headers"]["to"] = recipient
    timestamp, token = "1534108637", "651869375b9df3c98fc15c4889b102119add1235c38fc92824"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    payload["signature"] = {"timestamp": timestamp, "token": token, "signature": signature}
    return json.dumps(payload)


def post(client, body: str, *, secret: str = SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=auth)


@pytest.fixture
def sent(round_a, django_capture_on_commit_callbacks):
    """Invitations sent through the mail service to two respondents; Mailgun's ids stored."""
    factories.respondent(round_a, email="ann@x.nl")
    factories.respondent(round_a, email="bob@x.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_queue(scan_round=round_a)
    mails = list(OutgoingMail.objects.order_by("pk"))
    assert [m.status for m in mails] == [MailStatus.SENT, MailStatus.SENT]
    # The test backend numbers messages; Mailgun answers with ids like these.
    assert {m.provider_message_id for m in mails} == {"0", "1"}
    for index, row in enumerate(mails):
        row.provider_message_id = f"<20180812211713.1.DF5966851B4BAA9{index}@example.org>"
        row.save()
    return mails


@pytest.mark.parametrize(
    ("name", "state", "reason_part", "blocked"),
    [
        ("delivered", Delivery.DELIVERED, "OK", False),
        ("failed_permanent", Delivery.HARD_BOUNCE, "does not exist", True),
        ("failed_temporary", Delivery.SOFT_BOUNCE, "No MX", False),
        ("complained", Delivery.COMPLAINED, "", True),
        ("rejected", Delivery.REJECTED, "Sandbox subdomains", False),
    ],
)
def test_every_reported_state_is_stored_on_its_mail(
    client, sent, name, state, reason_part, blocked
):
    first, other = sent
    response = post(
        client, sample(name, message_id=first.provider_message_id, recipient="ann@x.nl")
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.delivery == state and reason_part in first.delivery_reason
    other.refresh_from_db()
    assert other.delivery == ""  # the other mail is untouched
    assert UndeliverableAddress.objects.exists() is blocked


def test_a_late_delivered_report_does_not_undo_a_bounce(client, sent):
    first = sent[0]
    post(
        client,
        sample("failed_permanent", message_id=first.provider_message_id, recipient="ann@x.nl"),
    )
    post(client, sample("delivered", message_id=first.provider_message_id, recipient="ann@x.nl"))
    first.refresh_from_db()
    assert first.delivery == Delivery.HARD_BOUNCE


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        "{}",
        json.dumps({"event-data": {"event": "delivered"}}),
        '{"signature": 1}',
    ],
)
def test_malformed_reports_get_400_and_change_nothing(client, sent, body):
    assert post(client, body).status_code == 400
    assert not OutgoingMail.objects.exclude(delivery="").exists()


def test_a_forged_signature_or_wrong_secret_is_refused(client, sent):
    first = sent[0]
    forged = sample(
        "failed_permanent", message_id=first.provider_message_id, recipient="ann@x.nl", key="guess"
    )
    assert post(client, forged).status_code == 400
    genuine = sample("failed_permanent", message_id=first.provider_message_id, recipient="ann@x.nl")
    assert post(client, genuine, secret="klantraat:wrong").status_code == 400
    assert client.post(URL, genuine, content_type="application/json").status_code == 400
    assert not OutgoingMail.objects.exclude(delivery="").exists()
    assert not UndeliverableAddress.objects.exists()


def test_without_a_mail_service_there_is_no_webhook(client):
    with override_settings(KLANTRAAT_MAIL_PROVIDER=""):
        assert client.post(URL, "{}", content_type="application/json").status_code == 404


def test_a_hard_bounced_address_is_not_mailed_or_reminded_until_changed(
    client, round_a, sent, django_capture_on_commit_callbacks
):
    first, other = sent
    post(
        client,
        sample("failed_permanent", message_id=first.provider_message_id, recipient="ann@x.nl"),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = services.reminders_queue(scan_round=round_a)
    assert count == 1 and [m.to for m in mail.outbox] == [["bob@x.nl"]]
    # A new link asked for by hand is refused at sending, and says why.
    respondent = first.respondent_mail.respondent
    with django_capture_on_commit_callbacks(execute=True):
        services.respondent_reissue_link(respondent=respondent)
    refused = OutgoingMail.objects.filter(respondent_mail__respondent=respondent).latest("pk")
    assert refused.status == MailStatus.FAILED and refused.last_error == UNDELIVERABLE
    assert [m.to for m in mail.outbox] == [["bob@x.nl"]]
    # Once the address is corrected, it is mailed again.
    respondent.email = "ann.de.vries@x.nl"
    respondent.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.respondent_reissue_link(respondent=respondent)
    assert mail.outbox[-1].to == ["ann.de.vries@x.nl"]
    assert mail_send(refused.pk) is False  # the refused row stays refused


def test_the_round_page_shows_not_delivered_with_the_reason(client, org_a, round_a, sent):
    first = sent[0]
    post(
        client,
        sample("failed_permanent", message_id=first.provider_message_id, recipient="ann@x.nl"),
    )
    coordinator = factories.member(org_a, Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(reverse("scan:round", kwargs={"org": org_a.slug, "pk": round_a.pk}))
    text = page.content.decode()
    assert "Niet bezorgd" in text and "does not exist" in text
    assert "1 mail niet bezorgd" in text
    director = factories.member(org_a, Role.DIRECTOR)
    client.force_login(director)
    page = client.get(reverse("scan:round", kwargs={"org": org_a.slug, "pk": round_a.pk}))
    assert "ann@x.nl" not in page.content.decode()  # the list is the coordinator's


# --- another provider chosen in settings: Postmark (basic auth only, no signature) ----------

POSTMARK = Path(__file__).resolve().parents[1] / "fixtures" / "postmark"


@pytest.mark.parametrize(
    ("name", "state", "blocked"),
    [
        ("delivery", Delivery.DELIVERED, False),
        ("bounce", Delivery.HARD_BOUNCE, True),
        ("soft_bounce", Delivery.SOFT_BOUNCE, False),
        ("spam_complaint", Delivery.COMPLAINED, True),
    ],
)
def test_postmark_reports_every_state_behind_its_secret(client, sent, name, state, blocked):
    first = sent[0]
    payload = json.loads((POSTMARK / f"{name}.json").read_text())
    payload["MessageID"] = first.provider_message_id
    payload["Email" if "Email" in payload else "Recipient"] = "ann@x.nl"
    with override_settings(KLANTRAAT_MAIL_PROVIDER="postmark"):
        assert post(client, json.dumps(payload), secret="klantraat:guess").status_code == 400
        first.refresh_from_db()
        assert first.delivery == ""
        assert post(client, json.dumps(payload)).status_code == 200
    first.refresh_from_db()
    assert first.delivery == state
    assert UndeliverableAddress.objects.exists() is blocked


def test_the_reason_never_quotes_the_address():
    from anymail.signals import AnymailTrackingEvent

    from core.outbox.delivery import report_from_anymail

    event = AnymailTrackingEvent(
        event_type="bounced",
        reject_reason="bounced",
        mta_response="550 5.1.1 <ann@x.nl>: Recipient address rejected",
        recipient="ann@x.nl",
        message_id="<1@x>",
    )
    report = report_from_anymail(event)
    assert report.reason == "550 5.1.1 …: Recipient address rejected"
    assert report.recipient == "ann@x.nl"
