"""Call-backs: the tenant's contact details reach only the people of the corporation who call
back (the pulse's ``handle_callbacks``), in no other page, file, API answer or log line; the
handlers are mailed (after commit, without the contact details), the call-back has an owner, a
due date and an overdue state, and closes only with an outcome that stays."""

import datetime as dt
import logging
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pptx import Presentation
from pypdf import PdfReader

from core.models import OutgoingMail
from core.outbox import mail_send, mails_send_pending
from core.permissions import access_for
from honeycomb.services import api_token_create
from pulse import services
from pulse.models import CallBack, CallBackStatus, MessageKind, PulseEvent
from tests.factories import PASSWORD
from tests.pulse.outbox import send_due

from .conftest import event, token_of

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "huurder1@example.nl", "0612345678"
HANDLERS = {"coordinator_a", "consultant_a"}
OTHERS = {"workgroup_a", "director_a"}


@pytest.fixture
def call_back(org_a, moments, people, django_capture_on_commit_callbacks):
    """A tenant of the repair by Bouwbedrijf Jansen graded it 3 and asked to be contacted."""
    report = services.events_ingest(organisation=org_a, items=[event(1, phone=PHONE)])
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(
            token=token_of(report.events[0]),
            grade=3,
            drivers={},
            effort=None,
            open_answer="Lekkage nog steeds niet verholpen",
            call_back=True,
        )
    return CallBack.objects.get()


@pytest.fixture
def planner(call_back):
    user = get_user_model().objects.create_user(email="planner@jansen.nl", password=PASSWORD)
    call_back.partner.users.add(user)
    return user


def _text_of_pdf(content: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(BytesIO(content)).pages)


def _text_of_deck(content: bytes) -> str:
    deck = Presentation(BytesIO(content))
    return "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def test_a_call_back_mails_every_handler_without_the_contact_details(call_back, people):
    assert {m.to[0] for m in mail.outbox} == {people[h].email for h in HANDLERS}
    for message in mail.outbox:
        assert "Terugbelverzoek" in message.subject and "cijfer 3" in message.subject
        assert "/org/alfa/pulse/#call-backs" in message.body
        assert EMAIL not in message.body + message.subject
        assert PHONE not in message.body + message.subject
    assert (
        OutgoingMail.objects.filter(kind=MessageKind.CALL_BACK, sent_at__isnull=False).count() == 2
    )


def test_the_mail_leaves_only_after_commit(org_a, moments, people):
    report = services.events_ingest(organisation=org_a, items=[event(1)])
    services.response_submit(
        token=token_of(report.events[0]),
        grade=2,
        drivers={},
        effort=None,
        open_answer="",
        call_back=True,
    )
    # The test's transaction never commits: the rows wait, nothing was sent.
    queued = OutgoingMail.objects.filter(kind=MessageKind.CALL_BACK)
    assert queued.count() == 2 and mail.outbox == []
    assert mails_send_pending(now=timezone.now() + dt.timedelta(hours=1)) == 2  # the sweeper
    assert len(mail.outbox) == 2
    assert mail_send(queued.first().pk) is False  # only once


@pytest.mark.parametrize("who", sorted(HANDLERS | OTHERS))
def test_contact_details_only_on_the_handlers_pulse_page(client, call_back, people, who):
    client.force_login(people[who])
    page = client.get(reverse("pulse:overview", kwargs={"org": "alfa"})).content.decode()
    if who in HANDLERS:
        assert f'href="tel:{PHONE}"' in page and f'href="mailto:{EMAIL}"' in page
        assert "Lekkage nog steeds niet verholpen" in page
        assert page.index('id="call-backs"') < page.index("Per ketenpartner")
    else:
        assert PHONE not in page and EMAIL not in page
        assert "1 huurder vroeg om terugbellen" in page
    dashboard = client.get(reverse("actions:dashboard", kwargs={"org": "alfa"})).content.decode()
    assert PHONE not in dashboard and EMAIL not in dashboard


@pytest.mark.parametrize("who", sorted(HANDLERS | OTHERS | {"partner"}))
def test_no_scorecard_page_pdf_or_deck_holds_contact_details(
    client, call_back, people, planner, who
):
    client.force_login(planner if who == "partner" else people[who])
    kwargs = {"org": "alfa", "code": call_back.partner.code}
    page = client.get(reverse("pulse:scorecard", kwargs=kwargs))
    assert page.status_code == 200
    html = page.content.decode()
    assert PHONE not in html and EMAIL not in html
    assert ("open terugbelverzoek" in html) == (who in HANDLERS)
    pdf = client.get(reverse("pulse:scorecard_pdf", kwargs=kwargs)).content
    deck = client.get(reverse("pulse:scorecard_pptx", kwargs=kwargs)).content
    for text in (_text_of_pdf(pdf), _text_of_deck(deck)):
        assert "Scorekaart" in text or "Scorecard" in text
        assert PHONE not in text and EMAIL not in text


@pytest.mark.parametrize("who", sorted(HANDLERS | OTHERS))
def test_no_api_answer_holds_contact_details(client, call_back, people, round_a, who):
    _token, raw = api_token_create(user=people[who], name="BI")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for path in (
        "/api/v1/organisations",
        "/api/v1/organisations/alfa/rounds",
        f"/api/v1/organisations/alfa/rounds/{round_a.pk}/scores",
        f"/api/v1/organisations/alfa/rounds/{round_a.pk}/gaps",
    ):
        body = client.get(path, **headers).content.decode()
        assert PHONE not in body and EMAIL not in body
    excel = client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": round_a.pk}))
    assert PHONE.encode() not in excel.content and EMAIL.encode() not in excel.content


@pytest.mark.parametrize("who", sorted(OTHERS))
def test_only_handlers_close_or_assign(client, call_back, people, who):
    client.force_login(people[who])
    kwargs = {"org": "alfa", "pk": call_back.pk}
    done = client.post(reverse("pulse:call_back_done", kwargs=kwargs), {"note": "Gebeld"})
    owner = client.post(reverse("pulse:call_back_assign", kwargs=kwargs), {"owner": people[who].pk})
    assert (done.status_code, owner.status_code) == (403, 403)
    call_back.refresh_from_db()
    assert call_back.status == CallBackStatus.OPEN and call_back.owner is None


def test_an_empty_outcome_does_not_close_a_call_back(client, call_back, people):
    client.force_login(people["coordinator_a"])
    url = reverse("pulse:call_back_done", kwargs={"org": "alfa", "pk": call_back.pk})
    response = client.post(url, {"note": "  \n "}, follow=True)
    assert "Schrijf de uitkomst op" in response.content.decode()
    call_back.refresh_from_db()
    assert call_back.status == CallBackStatus.OPEN and call_back.phone == PHONE


def test_closing_keeps_the_outcome_and_erases_the_contact(client, call_back, people):
    client.force_login(people["coordinator_a"])
    url = reverse("pulse:call_back_done", kwargs={"org": "alfa", "pk": call_back.pk})
    client.post(url, {"note": "Gebeld; monteur komt dinsdag terug."})
    call_back.refresh_from_db()
    assert (call_back.status, call_back.email, call_back.phone) == ("done", "", "")
    assert call_back.done_by == people["coordinator_a"]
    page = client.get(reverse("pulse:overview", kwargs={"org": "alfa"})).content.decode()
    assert "Gebeld; monteur komt dinsdag terug." in page and PHONE not in page
    again = client.post(url, {"note": "Nog een keer"}, follow=True).content.decode()
    assert "al afgesloten" in again
    call_back.refresh_from_db()
    assert call_back.note == "Gebeld; monteur komt dinsdag terug."


def test_an_owner_is_one_of_the_handlers(client, call_back, people):
    client.force_login(people["coordinator_a"])
    url = reverse("pulse:call_back_assign", kwargs={"org": "alfa", "pk": call_back.pk})
    client.post(url, {"owner": people["consultant_a"].pk})
    call_back.refresh_from_db()
    assert call_back.owner == people["consultant_a"]
    for bad in (people["director_a"].pk, people["consultant_b"].pk, "abc", "99999999999999"):
        response = client.post(url, {"owner": bad}, follow=True).content.decode()
        assert "Kies iemand die terugbelverzoeken afhandelt" in response
        call_back.refresh_from_db()
        assert call_back.owner == people["consultant_a"]
    client.post(url, {"owner": ""})
    call_back.refresh_from_db()
    assert call_back.owner is None


def test_overdue_call_backs_come_in_a_daily_digest(
    call_back, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    today = call_back.deadline + dt.timedelta(days=1)
    assert call_back.is_overdue(today) and not call_back.is_overdue(call_back.deadline)
    assert services.call_backs_send_overdue_digest(today=call_back.deadline) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.call_backs_send_overdue_digest(today=today) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.call_backs_send_overdue_digest(today=today) == 0  # once a day
    assert {m.to[0] for m in mail.outbox} == {people[h].email for h in HANDLERS}
    body = mail.outbox[0].body
    assert "Reparatie, cijfer 3" in body and "nog niemand" in body
    assert PHONE not in body and EMAIL not in body
    services.call_back_done(
        call_back=call_back,
        note="Opgelost",
        access=access_for(people["consultant_a"], call_back.organisation),
    )
    assert services.call_backs_send_overdue_digest(today=today + dt.timedelta(days=1)) == 0


def test_no_log_line_holds_contact_details(client, org_a, moments, people, caplog):
    caplog.set_level(logging.DEBUG)
    report = services.events_ingest(organisation=org_a, items=[event(1, phone=PHONE)])
    send_due(now=timezone.now() + dt.timedelta(days=3))
    client.post(
        reverse("pulse_public:survey", kwargs={"token": token_of(report.events[0])}),
        {"grade": "2", "effort": "3", "call_back": "on"},
    )
    call_back = CallBack.objects.get()
    client.force_login(people["coordinator_a"])
    client.get(reverse("pulse:overview", kwargs={"org": "alfa"}))
    client.post(
        reverse("pulse:call_back_done", kwargs={"org": "alfa", "pk": call_back.pk}),
        {"note": "Gebeld"},
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PulseEvent.objects.count() == 1
    assert PHONE not in logged and EMAIL not in logged


def test_the_survey_says_the_corporation_calls_not_the_contractor(client, org_a, moments):
    report = services.events_ingest(organisation=org_a, items=[event(1)])
    page = client.get(
        reverse("pulse_public:survey", kwargs={"token": token_of(report.events[0])})
    ).content.decode()
    assert f"iemand van {org_a.name} (niet de aannemer)" in page
    assert "die terugbelverzoeken afhandelen zien je contactgegevens" in page


def test_an_overdue_call_back_is_marked_on_the_page(client, call_back, people):
    CallBack.objects.filter(pk=call_back.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(people["consultant_a"])
    page = client.get(reverse("pulse:overview", kwargs={"org": "alfa"})).content.decode()
    card = page[page.index(f'id="call-back-{call_back.pk}"') :]
    assert "call-back-overdue" in page and "te laat" in card[:1500]
