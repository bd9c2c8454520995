"""No live link stored anywhere: a respondent's, a tenant's and a new account's links are made
as their mail leaves, from a nonce (or the account's state) and the secret key; the database
holds no raw token, before or after sending. Sent texts are cleared after the retention period."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models
from django.utils import timezone

from core import outbox
from core.models import MailStatus, OutgoingMail
from core.models.outbox import LINK_MARK, NOTICE
from pulse import services as pulse_services
from pulse.links import link_token
from scan import services
from scan.models import MailKind
from scan.services.people import _mail
from scan.services.respondent_mail import respondent_token
from tests import factories
from tests.pulse.conftest import event
from tests.pulse.outbox import send_due

pytestmark = pytest.mark.django_db


def stored_anywhere(token: str) -> list[str]:
    """Every text column of every table that holds ``token``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                if model._default_manager.filter(**{f"{field.attname}__contains": token}).exists():
                    found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_no_raw_token_in_any_table_before_or_after_sending(
    round_a, people, django_capture_on_commit_callbacks
):
    factories.respondent(round_a, email="a@x.nl")
    with django_capture_on_commit_callbacks(execute=False):
        services.invitations_queue(scan_round=round_a)
    queued = OutgoingMail.objects.get(kind=MailKind.INVITATION)
    # Queued: the text holds a mark where the link goes, the row a nonce.
    assert LINK_MARK in queued.body and queued.link_nonce
    respondent_link = respondent_token(queued.link_nonce)
    assert stored_anywhere(respondent_link) == []

    organisation = round_a.organisation
    pulse_services.moments_install_defaults(organisation=organisation)
    report = pulse_services.events_ingest(
        organisation=organisation, items=[event(1, partner="", email="huurder@x.nl")]
    )
    tenant_link = link_token(report.events[0].invitation.link_nonce)
    assert stored_anywhere(tenant_link) == []

    with django_capture_on_commit_callbacks(execute=True):
        outbox.mail_send(queued.pk)
        new = get_user_model().objects.create_user(email="nieuw@x.nl")
        _mail(
            "invite",
            user=new,
            organisation=organisation,
            role="coordinator",
            invited_by=people["consultant_a"],
        )
    send_due(now=report.events[0].invitation.send_after + dt.timedelta(minutes=1))

    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert respondent_link in bodies["a@x.nl"]
    assert tenant_link in bodies["huurder@x.nl"]
    welcome = bodies["nieuw@x.nl"].split("/welcome/")[1].split()[0].rstrip("/")
    account_token = welcome.split("/")[1]
    for token in (respondent_link, tenant_link, account_token):
        assert stored_anywhere(token) == []
    assert all(LINK_MARK not in body for body in bodies.values())
    # Sent: only the link's hash is left, no nonce to make it again from.
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT and queued.link_nonce == ""


def test_sent_texts_are_cleared_after_the_retention_period(settings):
    settings.KLANTRAAT_OUTBOX_RETENTION_DAYS = 30
    now = timezone.now()
    old, recent, waiting = (
        OutgoingMail.objects.create(
            kind=NOTICE, recipient=f"{n}@x.nl", subject="Onderwerp", body="Tekst"
        )
        for n in ("old", "recent", "waiting")
    )
    OutgoingMail.objects.filter(pk=old.pk).update(
        status=MailStatus.SENT, sent_at=now - dt.timedelta(days=31)
    )
    OutgoingMail.objects.filter(pk=recent.pk).update(
        status=MailStatus.SENT, sent_at=now - dt.timedelta(days=29)
    )
    assert outbox.sent_bodies_clear(now=now) == 1
    old.refresh_from_db()
    assert (old.subject, old.body, old.recipient) == ("", "", "")
    assert old.sent_at is not None  # the record that it went out stays
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.body == "Tekst" and kept.recipient
    assert outbox.sent_bodies_clear(now=now) == 0
