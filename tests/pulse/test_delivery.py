"""Delivery reports of pulse invitations: Twilio's signed SMS status callback (its documented
fields) and the mail service's webhook; a bad number or address is not used again, the
overview shows what did not arrive."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from twilio.request_validator import RequestValidator

from core.models import Delivery, Role, UndeliverableAddress
from pulse import services
from pulse.models import InvitationStatus
from tests import factories
from tests.pulse.outbox import send_due

from .conftest import event

TOKEN = "twilio-test-auth-token"
URL = "/webhooks/sms/status/"
BASE = "https://klantraat.example.nl"

pytestmark = pytest.mark.django_db


def receipt(client, fields: dict[str, str], *, token: str = TOKEN):
    """Post a status callback signed as Twilio signs it (over the public URL and the fields)."""
    signature = RequestValidator(token).compute_signature(BASE + URL, fields)
    return client.post(URL, fields, HTTP_X_TWILIO_SIGNATURE=signature)


def twilio_fields(sid: str, status: str, error: str = "") -> dict[str, str]:
    # The fields of Twilio's message status callback, as in its documentation.
    fields = {
        "AccountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "ApiVersion": "2010-04-01",
        "From": "+3197010200300",
        "MessageSid": sid,
        "MessageStatus": status,
        "SmsSid": sid,
        "SmsStatus": status,
        "To": "+31612345678",
    }
    if error:
        fields["ErrorCode"] = error
    return fields


@pytest.fixture
def sms_sent(org_a, moments, _sms_outbox):
    report = services.events_ingest(
        organisation=org_a, items=[event(1, email="", phone="06-12345678")]
    )
    invitation = report.events[0].invitation
    send_due(now=invitation.send_after + dt.timedelta(minutes=1))
    invitation.refresh_from_db()
    assert invitation.provider_message_id == _sms_outbox[0]["id"]
    return invitation


@pytest.fixture(autouse=True)
def _twilio():
    with override_settings(KLANTRAAT_TWILIO_AUTH_TOKEN=TOKEN, KLANTRAAT_BASE_URL=BASE):
        yield


@pytest.mark.parametrize(
    ("status", "error", "state", "blocked"),
    [
        ("delivered", "", Delivery.DELIVERED, False),
        ("undelivered", "30003", Delivery.SOFT_BOUNCE, False),  # handset unreachable
        ("undelivered", "30005", Delivery.HARD_BOUNCE, True),  # unknown number
        ("failed", "30006", Delivery.HARD_BOUNCE, True),  # a landline
    ],
)
def test_sms_receipts_are_stored(client, sms_sent, status, error, state, blocked):
    fields = twilio_fields(sms_sent.provider_message_id, status, error)
    assert receipt(client, fields).status_code == 204
    sms_sent.refresh_from_db()
    assert sms_sent.delivery == state
    assert UndeliverableAddress.objects.exists() is blocked


def test_on_the_way_receipts_change_nothing(client, sms_sent):
    assert receipt(client, twilio_fields(sms_sent.provider_message_id, "sent")).status_code == 204
    sms_sent.refresh_from_db()
    assert sms_sent.delivery == ""


def test_forged_or_malformed_receipts_get_400_and_change_nothing(client, sms_sent):
    fields = twilio_fields(sms_sent.provider_message_id, "undelivered", "30005")
    assert receipt(client, fields, token="guessed").status_code == 400
    assert client.post(URL, fields).status_code == 400  # unsigned
    assert receipt(client, {"MessageStatus": "delivered"}).status_code == 400
    assert receipt(client, {**fields, "MessageStatus": "exploded"}).status_code == 400
    assert client.get(URL).status_code == 405
    sms_sent.refresh_from_db()
    assert sms_sent.delivery == "" and not UndeliverableAddress.objects.exists()


def test_a_bad_number_is_not_texted_again(client, org_a, sms_sent, _sms_outbox):
    receipt(client, twilio_fields(sms_sent.provider_message_id, "undelivered", "30005"))
    with override_settings(KLANTRAAT_PULSE_QUIET_DAYS=0):  # so only the bounce stops it
        later = services.events_ingest(
            organisation=org_a,
            items=[event(2, email="", phone="06-12345678", moment="woning_betrekken")],
        )
    invitation = later.events[0].invitation
    assert invitation.status == InvitationStatus.SCHEDULED
    send_due(now=invitation.send_after + dt.timedelta(minutes=1))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.FAILED and invitation.delivery == "hard_bounce"
    assert len(_sms_outbox) == 1


def test_without_receipts_configured_there_is_no_webhook(client):
    with override_settings(KLANTRAAT_TWILIO_AUTH_TOKEN=""):
        assert client.post(URL, {}).status_code == 404


def test_a_mail_invitation_takes_the_mail_services_report(client, org_a, moments):
    report = services.events_ingest(organisation=org_a, items=[event(1, email="a@example.nl")])
    invitation = report.events[0].invitation
    with override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend"):
        send_due(now=invitation.send_after + dt.timedelta(minutes=1))
    invitation.refresh_from_db()
    assert invitation.provider_message_id == "0" and len(mail.outbox) == 1
    from core.outbox.delivery import DeliveryReport
    from pulse.services.invitations import invitation_delivery_record

    invitation_delivery_record(
        DeliveryReport(message_id="0", delivery=Delivery.HARD_BOUNCE, reason="550 no such user")
    )
    invitation.refresh_from_db()
    assert invitation.delivery == Delivery.HARD_BOUNCE
    assert UndeliverableAddress.objects.count() == 1  # the contact's address


def test_the_overview_shows_what_did_not_arrive(client, org_a, sms_sent):
    receipt(client, twilio_fields(sms_sent.provider_message_id, "undelivered", "30005"))
    url = reverse("pulse:overview", kwargs={"org": org_a.slug})
    client.force_login(factories.member(org_a, Role.COORDINATOR))
    text = client.get(url).content.decode()
    assert "Uitnodigingen niet bezorgd" in text and "Twilio 30005" in text
    client.force_login(factories.member(org_a, Role.DIRECTOR))
    assert "Uitnodigingen niet bezorgd" not in client.get(url).content.decode()
