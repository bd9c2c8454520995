import datetime as dt

import pandas as pd
import pytest
from django.core import mail
from django.utils import timezone, translation

from pulse import services, wording
from pulse.models import (
    CallBack,
    Contact,
    InvitationStatus,
    PulseEvent,
    PulseInvitation,
    PulseResponse,
)
from pulse.services.events import PulseError
from pulse.services.responses import SurveyLinkProblem
from tests.pulse.outbox import send_due

from .conftest import event, token_of
from .frames import figures_by, grade_figure

pytestmark = pytest.mark.django_db


def test_ingest_is_idempotent_on_the_source_id(org_a, moments):
    first = services.events_ingest(organisation=org_a, items=[event(1), event(2)])
    again = services.events_ingest(organisation=org_a, items=[event(1), event(2), event(3)])
    assert (first.created, again.created, again.already_received) == (2, 1, 2)
    assert PulseEvent.objects.filter(organisation=org_a).count() == 3
    assert PulseInvitation.objects.count() == 3


def test_a_bad_batch_names_every_field_and_stores_nothing(org_a, moments):
    items = [
        event(1),
        event(2, moment="onbekend"),
        event(3, occurred_on="gisteren"),
        event(4, email="geen-adres", phone=""),
        event(5, email="", phone=""),
    ]
    with translation.override("en"), pytest.raises(PulseError) as exc:
        services.events_ingest(organisation=org_a, items=items)
    text = " | ".join(exc.value.errors)
    assert "Event 1: field moment" in text
    assert "Event 2: field date" in text
    assert "Event 3: field email" in text
    assert "Event 4: give an email or a phone" in text
    assert PulseEvent.objects.count() == 0 and Contact.objects.count() == 0


def test_one_invitation_per_address_per_ninety_days(org_a, moments):
    report = services.events_ingest(
        organisation=org_a,
        items=[event(1, email="a@example.nl"), event(2, email="A@example.nl"), event(3)],
    )
    assert (report.invitations, report.skipped_recently_asked) == (2, 1)
    statuses = sorted(PulseInvitation.objects.values_list("status", flat=True))
    assert statuses == ["scheduled", "scheduled", "skipped"]
    # Another moment for the same address a month later is still within the quiet period.
    later = services.events_ingest(organisation=org_a, items=[event(4, email="a@example.nl")])
    assert later.skipped_recently_asked == 1


def test_invitation_waits_for_the_moments_delay_and_is_sent_once(org_a, moments):
    report = services.events_ingest(
        organisation=org_a,
        items=[event(1, occurred_on=timezone.localdate().isoformat())],
    )
    invitation = report.events[0].invitation
    assert invitation.send_after.date() == timezone.localdate() + dt.timedelta(days=2)
    assert send_due()["queued"] == 0
    later = invitation.send_after + dt.timedelta(minutes=1)
    assert send_due(now=later)["queued"] == 1
    assert send_due(now=later)["queued"] == 0
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert token_of(report.events[0]) in sent.body
    assert "Beste huurder" in sent.body and "Dear tenant" in sent.body
    # From the corporation, with the moment in natural words, its day and the contractor.
    day_nl = wording.day(report.events[0].occurred_on, "nl")
    assert sent.subject == f"Hoe ging de reparatie op {day_nl} door Bouwbedrijf Jansen?"
    assert sent.from_email == f"{org_a.name} <noreply@klantraat.nl>"
    day_en = wording.day(report.events[0].occurred_on, "en")
    assert f"How did the repair on {day_en} by Bouwbedrijf Jansen go?" in sent.body
    assert "/en/p/" in sent.body and "Deze mail kun je niet beantwoorden." in sent.body


def test_replies_to_a_pulse_mail_go_to_the_address_the_corporation_sets(org_a, moments):
    org_a.reply_to = "klantcontact@alfa.nl"
    org_a.save()
    report = services.events_ingest(organisation=org_a, items=[event(1)])
    send_due(now=report.events[0].invitation.send_after)
    (sent,) = mail.outbox
    assert sent.reply_to == ["klantcontact@alfa.nl"]
    assert "Vragen? Beantwoord deze mail." in sent.body
    assert sent.message()["From"].endswith("<noreply@klantraat.nl>")


def test_sms_invitation_and_reminder_only_by_mail(org_a, moments, _sms_outbox):
    report = services.events_ingest(
        organisation=org_a, items=[event(1, email="", phone="06-12345678")]
    )
    invitation = report.events[0].invitation
    now = invitation.send_after + dt.timedelta(minutes=1)
    send_due(now=now)
    assert len(_sms_outbox) == 1 and _sms_outbox[0]["to"] == "0612345678"
    assert token_of(report.events[0]) in _sms_outbox[0]["text"]
    day_nl = wording.day(report.events[0].occurred_on, "nl")
    assert _sms_outbox[0]["text"].startswith(
        f"{org_a.name}: Hoe ging de reparatie op {day_nl} door Bouwbedrijf Jansen?"
    )
    result = send_due(now=now + dt.timedelta(days=6))
    assert result["reminded"] == 0 and len(_sms_outbox) == 1 and len(mail.outbox) == 0


def test_one_mail_reminder_at_most(org_a, moments):
    report = services.events_ingest(organisation=org_a, items=[event(1)])
    now = report.events[0].invitation.send_after + dt.timedelta(minutes=1)
    send_due(now=now)
    assert send_due(now=now + dt.timedelta(days=6))["reminded"] == 1
    assert send_due(now=now + dt.timedelta(days=7))["reminded"] == 0
    assert len(mail.outbox) == 2
    assert token_of(report.events[0]) in mail.outbox[1].body  # the same link


def test_link_expires_after_fourteen_days_and_contact_is_erased(org_a, moments):
    report = services.events_ingest(organisation=org_a, items=[event(1)])
    pulse_event = report.events[0]
    expiry = pulse_event.invitation.expires_at
    assert (expiry - pulse_event.invitation.send_after).days == 14
    assert services.contacts_erase_expired(now=expiry - dt.timedelta(minutes=1)) == 0
    assert services.contacts_erase_expired(now=expiry + dt.timedelta(minutes=1)) == 1
    contact = Contact.objects.get(event=pulse_event)
    assert (contact.email, contact.phone) == ("", "") and contact.erased_at
    send_due(now=expiry + dt.timedelta(minutes=1))
    with pytest.raises(SurveyLinkProblem) as exc:
        services.survey_for_token(token_of(pulse_event))
    assert exc.value.reason == "expired"


def _answer(pulse_event, grade=8, call_back=False, **extra):
    return services.response_submit(
        token=token_of(pulse_event),
        grade=grade,
        drivers=extra.pop("drivers", {"eerste_keer_goed": True}),
        effort=extra.pop("effort", 2),
        open_answer=extra.pop("open_answer", ""),
        call_back=call_back,
    )


def test_answer_once_keeps_month_not_date_and_erases_contact(org_a, moments):
    pulse_event = services.events_ingest(organisation=org_a, items=[event(1)]).events[0]
    response = _answer(pulse_event)
    assert response.month == pulse_event.occurred_on.replace(day=1)
    assert not hasattr(response, "occurred_on")
    assert response.partner.name == "Bouwbedrijf Jansen"
    with pytest.raises(SurveyLinkProblem) as exc:
        _answer(pulse_event, grade=3)
    assert exc.value.reason == "used"
    assert PulseResponse.objects.count() == 1
    assert Contact.objects.get(event=pulse_event).email == ""


def test_consent_after_any_grade_becomes_a_call_back(org_a, moments):
    """The form offers a call-back to everyone: a ticked box is never ignored, a 6 or an 8 too."""
    events = services.events_ingest(
        organisation=org_a, items=[event(1), event(2), event(3), event(4)]
    ).events
    _answer(events[0], grade=4, call_back=True, open_answer="Drie keer teruggekomen")
    _answer(events[1], grade=4, call_back=False)
    _answer(events[2], grade=6, call_back=True)
    _answer(events[3], grade=8, call_back=False)
    assert sorted(CallBack.objects.values_list("email", flat=True)) == [
        "huurder1@example.nl",
        "huurder3@example.nl",
    ]
    call_back = CallBack.objects.get(email="huurder1@example.nl")
    assert call_back.deadline == timezone.localdate() + dt.timedelta(days=5)
    services.call_back_done(call_back=call_back, note="Gebeld, afspraak gemaakt")
    call_back.refresh_from_db()
    assert (call_back.status, call_back.email) == ("done", "")


def test_out_of_range_answers_are_refused_and_nothing_is_stored(org_a, moments):
    pulse_event = services.events_ingest(organisation=org_a, items=[event(1)]).events[0]
    with pytest.raises(PulseError):
        _answer(pulse_event, grade=11)
    with pytest.raises(PulseError):
        _answer(pulse_event, drivers={"verzonnen": True})
    assert PulseResponse.objects.count() == 0
    assert PulseInvitation.objects.get().status == InvitationStatus.SCHEDULED


def test_grade_figure_interval_only_from_thirty():
    assert grade_figure(pd.Series([7] * 4), threshold=5).suppressed
    small = grade_figure(pd.Series([6, 7, 8, 9, 5]), threshold=5)
    assert small.mean == 7.0 and small.low is None and small.dissatisfied_share == 0.2
    assert small.basic_process_in_order is False
    large = grade_figure(pd.Series([7, 8] * 15), threshold=5)
    assert large.low is not None and large.low < 7.5 < large.high


def test_small_partners_roll_up_so_none_can_be_subtracted():
    frame = pd.DataFrame(
        {"partner_id": ["a"] * 10 + ["b"] * 8 + ["c"] * 2, "grade": [7] * 10 + [6] * 8 + [3] * 2}
    )
    figures = figures_by(frame, "partner_id", threshold=5)
    # "c" alone (2) is too small; "other" would be c alone, so the smallest published unit
    # (b) is folded in with it: nothing describes fewer than five respondents.
    assert set(figures) == {"a", "__other__"}
    assert figures["__other__"].n == 10
    assert all(f.suppressed or f.n >= 5 for f in figures.values())


def test_the_quiet_period_is_per_organisation(org_a, org_b, moments):
    services.moments_install_defaults(organisation=org_b)
    services.events_ingest(organisation=org_a, items=[event(1, email="a@example.nl")])
    # The same tenant, a customer of another corporation too, is asked by that one as well,
    # and nothing in its report tells that organisation A asked first.
    other = services.events_ingest(organisation=org_b, items=[event(1, email="a@example.nl")])
    assert (other.invitations, other.skipped_recently_asked) == (1, 0)
    again = services.events_ingest(organisation=org_a, items=[event(2, email="a@example.nl")])
    assert again.skipped_recently_asked == 1
