"""The card left after a visit: an open survey link per moment, printed as a QR code."""

import pytest
from django.urls import reverse

from pulse import services
from pulse.links import link_token
from pulse.models import CallBack, CardLink, PulseResponse
from pulse.views_cards import CARD_ANSWERS_PER_ADDRESS

pytestmark = pytest.mark.django_db


def card_page(org, moment="reparatie"):
    return reverse("pulse:card", kwargs={"org": org.slug, "moment": moment})


def make_link(client, org, moment="reparatie", action="new"):
    return client.post(
        reverse("pulse:card_link", kwargs={"org": org.slug, "moment": moment}), {"action": action}
    )


def survey_url(card: CardLink) -> str:
    return reverse("pulse_public:card_survey", kwargs={"token": link_token(card.link_nonce)})


def test_a_coordinator_prints_a_card_with_a_qr_code(client, people, org_a, moments):
    client.force_login(people["coordinator_a"])
    assert "qr-code" not in client.get(card_page(org_a)).content.decode()
    assert make_link(client, org_a).status_code == 302
    card = CardLink.objects.get()
    page = client.get(card_page(org_a)).content.decode()
    assert '<svg viewBox="0 0' in page and 'class="qr-code"' in page
    assert survey_url(card) in page
    # Stored hashed: the database never holds the link itself.
    assert link_token(card.link_nonce) not in card.token_hash


@pytest.mark.parametrize("role", ["workgroup_a", "director_a"])
def test_only_coordinators_and_consultants_make_cards(client, people, org_a, moments, role):
    client.force_login(people[role])
    assert client.get(card_page(org_a)).status_code == 403
    assert make_link(client, org_a).status_code == 403
    assert not CardLink.objects.exists()


def test_another_organisation_cannot_reach_the_card(client, people, org_a, moments):
    client.force_login(people["coordinator_b"])
    assert client.get(card_page(org_a)).status_code == 404
    assert make_link(client, org_a).status_code == 404


def test_a_tenant_answers_through_the_card_without_contact_details(client, moments):
    card = services.card_link_create(moment=moments["reparatie"])
    page = client.get(survey_url(card))
    assert page.status_code == 200
    assert 'name="call_back"' not in page.content.decode()
    answered = client.post(survey_url(card), {"grade": "4", "effort": "2", "call_back": "on"})
    assert answered.status_code == 200
    response = PulseResponse.objects.get()
    assert (response.grade, response.partner, response.area) == (4, None, "")
    assert response.month.day == 1
    assert not CallBack.objects.exists()


def test_a_new_link_or_a_revoked_one_stops_old_cards(client, people, org_a, moments):
    old = services.card_link_create(moment=moments["reparatie"])
    new = services.card_link_create(moment=moments["reparatie"])
    assert client.get(survey_url(old)).status_code == 410
    assert client.post(survey_url(old), {"grade": "8"}).status_code == 410
    assert client.get(survey_url(new)).status_code == 200
    client.force_login(people["coordinator_a"])
    make_link(client, org_a, action="revoke")
    client.logout()
    assert client.get(survey_url(new)).status_code == 410
    assert not PulseResponse.objects.exists()


def test_answers_per_address_are_limited(client, moments):
    card = services.card_link_create(moment=moments["reparatie"])
    for _ in range(CARD_ANSWERS_PER_ADDRESS):
        assert client.post(survey_url(card), {"grade": "9"}).status_code == 200
    assert client.post(survey_url(card), {"grade": "9"}).status_code == 429
    other = client.post(survey_url(card), {"grade": "9"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    assert PulseResponse.objects.count() == CARD_ANSWERS_PER_ADDRESS + 1


def test_a_made_up_card_link_is_not_found(client):
    assert (
        client.get(reverse("pulse_public:card_survey", kwargs={"token": "y" * 43})).status_code
        == 404
    )
