"""The outbox: texts that fit the reader, the link made once per mail when it is queued,
bounded retries with back-off, failures shown on the round page, bounded queries."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import outbox
from core.models import MailStatus, OutgoingMail
from core.models.outbox import LINK_MARK
from core.outbox.queue import MAX_ATTEMPTS
from scan import services
from scan.mailtext import LINK_REQUIRED, problems
from scan.models import MailTemplate, RespondentMail, RespondentToken
from scan.services.mail_texts import respondent_link_url
from tests import factories


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection lost")


def _token(body: str) -> str:
    return body.split("/r/")[1].split("/")[0]


def _queue(round_a, capture):
    with capture(execute=True):
        return services.invitations_queue(scan_round=round_a)


# --- texts that fit the reader ----------------------------------------------------------------


def test_tenants_and_partners_are_not_addressed_as_colleagues(
    round_a, django_capture_on_commit_callbacks
):
    round_a.min_group_size = 3
    round_a.save()
    factories.respondent(round_a, kind="tenants", email="huurder@x.nl")
    factories.respondent(round_a, kind="partners", email="partner@x.nl", name="Bouwbedrijf Jansen")
    factories.respondent(round_a, kind="staff", email="mw@x.nl")
    _queue(round_a, django_capture_on_commit_callbacks)
    by_to = {m.to[0]: m for m in mail.outbox}
    tenant, partner, staff = by_to["huurder@x.nl"], by_to["partner@x.nl"], by_to["mw@x.nl"]
    for external in (tenant, partner):
        assert "collega" not in external.body.lower()
        # One form of address per group in mail and wizard: "je" (README, Language and register).
        assert " u " not in external.body and " je " in external.body.lower()
    assert tenant.body.startswith("Beste huurder,")
    assert partner.body.startswith("Beste Bouwbedrijf Jansen,")
    assert "samenwerking" in partner.body
    assert staff.body.startswith("Beste collega,")
    for sent in (tenant, partner, staff):
        assert "minstens 3 mensen" in sent.body and "vijf" not in sent.body
        with translation.override("nl"):
            assert date_format(round_a.closes_on, "DATE_FORMAT") in sent.body


def test_organisation_and_group_templates_override_the_default(
    round_a, org_b, django_capture_on_commit_callbacks
):
    MailTemplate.objects.create(
        kind="invitation", language="nl", subject="Algemeen", body="Algemeen {link}"
    )
    MailTemplate.objects.create(
        organisation=round_a.organisation,
        kind="invitation",
        group_kind="tenants",
        language="nl",
        subject="Huurders van {organisation}",
        body="Hallo {name}, drempel {threshold}: {link}",
    )
    MailTemplate.objects.create(
        organisation=org_b, kind="invitation", language="nl", subject="B", body="B {link}"
    )
    factories.respondent(round_a, kind="tenants", email="h@x.nl", name="Hans")
    factories.respondent(round_a, kind="staff", email="s@x.nl")
    _queue(round_a, django_capture_on_commit_callbacks)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["h@x.nl"].subject == f"Huurders van {round_a.organisation.name}"
    assert by_to["h@x.nl"].body.startswith("Hallo Hans, drempel 5: http")
    assert by_to["s@x.nl"].subject == "Algemeen"


@pytest.mark.parametrize(
    "body,message",
    [
        ("Hallo {name}", "link"),
        ("Hallo {naam}: {link}", "{naam}"),
        ("Hallo {name: {link}", "brace"),
        ("Kosten: 5 } {link}", "brace"),
        ("{link.__class__}", "{link.__class__}"),
        ("{link!r}", "format"),
    ],
)
def test_placeholders_are_checked_on_save(db, body, message):
    template = MailTemplate(kind="invitation", language="nl", subject="Uitnodiging", body=body)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        template.full_clean()
    assert message in " ".join(exc.value.message_dict["body"])


def test_a_good_text_passes_and_braces_can_be_escaped():
    assert problems(subject="{round}", body="Zie {link} {{niet}}") == {}
    assert str(LINK_REQUIRED) in problems(subject="x", body="geen link")["body"][0]


def test_a_text_that_fails_to_render_is_reported_on_the_round_page_and_logged(
    client, people, round_a, caplog, django_capture_on_commit_callbacks
):
    # Written past the checks (an older text, or straight into the database).
    MailTemplate.objects.bulk_create(
        [
            MailTemplate(
                kind="invitation", language="nl", subject="x", body="Hallo {voornaam} {link}"
            )
        ]
    )
    factories.respondent(round_a, email="a@x.nl")
    assert _queue(round_a, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    failed = OutgoingMail.objects.get()
    assert failed.status == MailStatus.FAILED and "{voornaam}" in failed.last_error
    assert not RespondentToken.objects.exists()  # no link was made for a mail never sent
    assert "{voornaam}" in caplog.text
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk}))
    assert "{voornaam}" in page.content.decode()
    # Fixed text, retried: the mail goes out once, with a working link.
    MailTemplate.objects.update(body="Hallo {name} {link}")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scan:mails_retry", kwargs={"org": "alfa", "pk": round_a.pk}))
    (sent,) = mail.outbox
    assert services.respondent_for_token(_token(sent.body)).email == "a@x.nl"
    assert OutgoingMail.objects.get().status == MailStatus.SENT


# --- the outbox ------------------------------------------------------------------------------


def test_failed_attempts_keep_the_link_back_off_and_stop(
    round_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.scan.test_outbox.FailingBackend"
    factories.respondent(round_a, email="a@x.nl")
    _queue(round_a, django_capture_on_commit_callbacks)
    outgoing = OutgoingMail.objects.get()
    token_before, body_before = outgoing.respondent_mail.token_id, outgoing.body
    assert outgoing.attempts == 1 and outgoing.status == MailStatus.QUEUED
    assert outgoing.next_attempt_at > timezone.now()
    now = timezone.now()
    assert outbox.mails_send_pending(now=now) == 0  # waiting for its back-off
    for _attempt in range(MAX_ATTEMPTS):
        now += dt.timedelta(hours=3)
        outbox.mails_send_pending(now=now)
    outgoing.refresh_from_db()
    assert outgoing.attempts == MAX_ATTEMPTS
    assert outgoing.status == MailStatus.FAILED and "connection lost" in outgoing.last_error
    assert outbox.mails_send_pending(now=now + dt.timedelta(days=1)) == 0  # no endless retry
    # Every attempt carried the same text and link; no new link was made.
    assert (outgoing.respondent_mail.token_id, outgoing.body) == (token_before, body_before)
    assert RespondentToken.objects.count() == 1
    # A person retries: it goes out with that same link.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mails_retry_failed(scan_round=round_a) == 1
    (sent,) = mail.outbox
    # The stored text holds a mark where the link goes; the link is made as the mail leaves.
    assert LINK_MARK in body_before and LINK_MARK not in sent.body
    token = _token(sent.body)
    assert sent.body == body_before.replace(LINK_MARK, respondent_link_url(token))
    assert services.respondent_for_token(token).email == "a@x.nl"
    assert RespondentToken.objects.count() == 1
    outgoing.refresh_from_db()
    assert token not in outgoing.body and outgoing.link_nonce == ""  # only the hash stays


def test_queuing_many_invitations_costs_a_bounded_number_of_queries(
    round_a, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from scan.models import Respondent

    group = round_a.groups.get(kind="staff")
    Respondent.objects.bulk_create(
        [Respondent(round=round_a, group=group, email=f"r{i}@x.nl") for i in range(200)]
    )
    with (
        django_capture_on_commit_callbacks(execute=False),
        # SQLite splits a bulk insert at its parameter limit: the outbox row has more columns.
        # One insert more than before the outbox moved to core: the RespondentMail rows.
        django_assert_max_num_queries(13),
    ):
        assert services.invitations_queue(scan_round=round_a) == 200
    assert RespondentMail.objects.filter(token__isnull=False).count() == 200


def test_round_page_shows_queued_sent_and_failed(
    client, people, round_a, django_capture_on_commit_callbacks
):
    for i in range(3):
        factories.respondent(round_a, email=f"r{i}@x.nl")
    with django_capture_on_commit_callbacks(execute=False):
        services.invitations_queue(scan_round=round_a)
    first, second, _third = OutgoingMail.objects.all()
    outbox.mail_send(first.pk)
    OutgoingMail.objects.filter(pk=second.pk).update(status=MailStatus.FAILED, last_error="weg")
    client.force_login(people["coordinator_a"])
    response = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk}))
    status = response.context["outbox"]
    assert (status.queued, status.sent, status.failed) == (1, 1, 1)
    assert "weg" in response.content.decode()


@pytest.mark.parametrize(
    "person,status", [("coordinator_a", 302), ("director_a", 403), ("coordinator_b", 404)]
)
def test_retrying_failed_mails_per_role(
    client, people, round_a, person, status, django_capture_on_commit_callbacks
):
    respondent = factories.respondent(round_a, email="a@x.nl")
    factories.respondent_mail(respondent, status=MailStatus.FAILED, body="x {link}")
    client.force_login(people[person])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scan:mails_retry", kwargs={"org": "alfa", "pk": round_a.pk})
        )
    assert response.status_code == status
    expected = MailStatus.FAILED if status != 302 else MailStatus.SENT
    assert OutgoingMail.objects.get().status == expected


def test_reissue_mails_the_new_link_and_refuses_without_an_address(
    round_a, django_capture_on_commit_callbacks
):
    respondent = factories.respondent(round_a, email="a@x.nl", kind="tenants")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.respondent_reissue_link(respondent=respondent) == 1
        assert services.respondent_reissue_link(respondent=respondent) == 1
    first, second = mail.outbox
    with pytest.raises(services.LinkProblem):
        services.respondent_for_token(_token(first.body))
    assert services.respondent_for_token(_token(second.body)) == respondent
    assert "Je vorige link" in second.body
    anonymous = services.open_link_join(
        services.open_link_create(
            scan_round=round_a,
            group=round_a.groups.first(),
            cap=5,
            closes_on=round_a.closes_on,
        )[1]
    )[0]
    with pytest.raises(services.ScanError):
        services.respondent_reissue_link(respondent=anonymous)


def test_a_reminder_speaks_of_saved_answers_only_to_someone_who_started(round_a):
    from scan.services import render_mail
    from scan.services.mail_texts import TextSource

    source = TextSource(round_a.organisation, "reminder")
    for kind in ("staff", "tenants"):
        respondent = factories.respondent(round_a, kind=kind)
        _subject, never = render_mail(
            source=source, respondent=respondent, scan_round=round_a, link="https://x/r/1/"
        )
        assert "bewaard" not in never and "minuten" in never
        services.respondent_start(respondent, language="nl")
        respondent.refresh_from_db()
        _subject, started = render_mail(
            source=source, respondent=respondent, scan_round=round_a, link="https://x/r/1/"
        )
        assert "Wat je al hebt ingevuld is bewaard" in started
