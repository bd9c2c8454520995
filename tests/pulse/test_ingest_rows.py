"""What a batch of events leaves in the database: the same rows whether they were written by
COPY (PostgreSQL) or by bulk_create (SQLite); the suite runs on both."""

import datetime as dt

import pytest
from django.utils import timezone

from pulse import services
from pulse.links import link_hash, link_token
from pulse.models import Contact, ContractPartner, PulseEvent, PulseInvitation
from pulse.services.events import address_key

from .conftest import event

pytestmark = pytest.mark.django_db


def test_every_column_of_the_event_its_contact_and_invitation_is_filled(org_a, moments):
    today, occurred = timezone.localdate(), timezone.localdate() - dt.timedelta(days=30)
    before = timezone.now()
    report = services.events_ingest(
        organisation=org_a,
        items=[
            event(
                1,
                email=" Huurder1@Example.NL ",
                partner=" Bouwbedrijf Jansen ",
                area=" C 12 ",
                occurred_on=today.isoformat(),
            ),
            event(2, email="", phone="06-1234 5678", partner="", occurred_on=occurred.isoformat()),
        ],
    )
    assert (report.created, report.invitations, report.skipped_recently_asked) == (2, 2, 0)
    first, second = report.events
    assert [first.source_id, second.source_id] == ["WO-1", "WO-2"]
    assert first.organisation_id == org_a.pk and first.moment == moments["reparatie"]
    assert first.partner == ContractPartner.objects.get(
        organisation=org_a, name="Bouwbedrijf Jansen"
    )
    assert (first.area, second.partner_id, second.occurred_on) == ("C 12", None, occurred)
    assert before <= first.received_at <= timezone.now()

    contact = Contact.objects.get(event=first)
    assert (contact.email, contact.phone, contact.erased_at) == ("huurder1@example.nl", "", None)
    assert contact.address_key == address_key("huurder1@example.nl", "")
    assert Contact.objects.get(event=second).phone == "0612345678"

    invitation = PulseInvitation.objects.get(event=first)
    assert (invitation.channel, invitation.status) == ("email", "scheduled")
    assert invitation.token_hash == link_hash(invitation.link_nonce)
    # After the moment's delay, at ten; a moment long past is invited at once.
    invite_at = dt.datetime.combine(today, dt.time(10)) + dt.timedelta(
        days=moments["reparatie"].invite_after_days
    )
    assert invitation.send_after == timezone.make_aware(invite_at)
    assert invitation.expires_at == invitation.send_after + dt.timedelta(days=14)
    assert before <= second.invitation.send_after <= timezone.now()
    assert (invitation.sent_at, invitation.reminded_at, invitation.delivery_at) == (None,) * 3
    assert invitation.last_error == invitation.delivery == invitation.provider_message_id == ""
    assert PulseInvitation.objects.get(event=second).channel == "sms"
    assert link_token(invitation.link_nonce) != link_token(second.invitation.link_nonce)


def test_events_stored_in_a_batch_leave_room_for_those_stored_one_by_one(org_a, moments):
    """On PostgreSQL the batch takes its ids from the table's sequence: a row written later by
    the ORM must not collide with them."""
    services.events_ingest(organisation=org_a, items=[event(1), event(2)])
    later = PulseEvent.objects.create(
        organisation=org_a,
        source_id="WO-3",
        moment=moments["reparatie"],
        occurred_on=timezone.localdate(),
    )
    assert later.pk > max(PulseEvent.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    assert Contact.objects.count() == PulseInvitation.objects.count() == 2


def test_one_partner_per_name_however_it_is_spaced_and_a_known_one_is_reused(org_a, moments):
    services.events_ingest(
        organisation=org_a,
        items=[event(1, partner="Schilder Visser"), event(2, partner="  Schilder Visser")],
    )
    report = services.events_ingest(
        organisation=org_a, items=[event(3, partner="Schilder Visser"), event(4, partner="Nieuw")]
    )
    assert sorted(ContractPartner.objects.values_list("name", flat=True)) == [
        "Nieuw",
        "Schilder Visser",
    ]
    partners = {e.source_id: e.partner.name for e in report.events}
    assert partners == {"WO-3": "Schilder Visser", "WO-4": "Nieuw"}
    assert PulseEvent.objects.filter(partner__name="Schilder Visser").count() == 3


def test_a_batch_of_repeats_and_new_events_reports_both_and_stores_only_the_new(org_a, moments):
    services.events_ingest(organisation=org_a, items=[event(1), event(2)])
    report = services.events_ingest(organisation=org_a, items=[event(2), event(3), event(1)])
    assert (report.created, report.already_received) == (1, 2)
    assert [e.source_id for e in report.events] == ["WO-3"]
    assert PulseEvent.objects.count() == Contact.objects.count() == 3
