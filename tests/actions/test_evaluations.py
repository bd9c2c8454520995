"""Preparing the next round: from the latest closed round, with its own title and dates,
statuses reset; and a consultant's "prepare now" on the schedule page."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from actions import services
from actions.services.evaluations import ALREADY_PREPARED, NO_CLOSED_ROUND
from core.models import OutgoingMail
from core.permissions import access_for
from scan import services as scan_services
from scan.models import RespondentToken, RoundStatus, ScanRound
from tests import factories

from .conftest import answer_round

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def closed_and_open(org_a, version):
    """A closed round with 8 respondents, then a newer open round with 2."""
    closed = factories.scan_round(org_a, version=version, title="Klantscan", period="2025")
    answer_round(closed, "staff", 8, 3)
    ScanRound.objects.filter(pk=closed.pk).update(
        status=RoundStatus.CLOSED,
        opens_on=TODAY - dt.timedelta(days=60),
        closes_on=TODAY - dt.timedelta(days=30),
    )
    closed.refresh_from_db()
    pilot = factories.scan_round(
        org_a,
        version=version,
        title="Pilot huurders",
        opens_on=TODAY - dt.timedelta(days=2),
        closes_on=TODAY + dt.timedelta(days=20),
    )
    answer_round(pilot, "staff", 2, 4)
    return closed, pilot


def test_next_round_is_prepared_from_the_latest_closed_round_not_an_open_one(
    org_a, closed_and_open
):
    closed, pilot = closed_and_open
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    draft = services.evaluation_prepare(organisation=org_a, today=TODAY)
    assert draft.previous_round == closed
    assert draft.respondents.count() == 8  # not the open pilot's 2


def test_prepared_round_has_its_own_title_and_dates(org_a, closed_and_open):
    closed, pilot = closed_and_open
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    draft = services.evaluation_prepare(organisation=org_a, today=TODAY)
    titles = list(org_a.rounds.exclude(pk=draft.pk).values_list("title", flat=True))
    assert draft.title not in titles and draft.title.startswith("Klantscan – evaluation")
    assert draft.period != closed.period
    # After every existing round has closed, the open pilot included.
    assert draft.opens_on > max(closed.closes_on, pilot.closes_on)
    assert draft.closes_on > draft.opens_on


def test_title_never_repeats_even_in_the_same_month(org_a, closed_and_open, people):
    closed, _pilot = closed_and_open
    first = services.evaluation_prepare_now(access=access_for(people["consultant_a"], org_a))
    first.status = RoundStatus.CLOSED  # say it ran and closed
    first.save()
    second = services.evaluation_prepare_now(access=access_for(people["consultant_a"], org_a))
    assert second.previous_round == first and second.title != first.title
    assert "evaluation" in second.title and second.title.count("–") == 1  # series name kept
    assert second.opens_on > first.closes_on


def test_statuses_are_reset_and_nothing_is_sent(org_a, closed_and_open):
    closed, _pilot = closed_and_open
    for respondent in closed.respondents.all()[:2]:
        scan_services.respondent_issue_link(respondent)
    assert closed.respondents.filter(submitted_at__isnull=False).count() == 8
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    draft = services.evaluation_prepare(organisation=org_a, today=TODAY)
    assert draft.status == RoundStatus.DRAFT
    assert not draft.respondents.filter(submitted_at__isnull=False).exists()
    assert not draft.respondents.filter(started_at__isnull=False).exists()
    assert not RespondentToken.objects.filter(respondent__round=draft).exists()
    assert not OutgoingMail.objects.filter(respondent_mail__respondent__round=draft).exists()
    assert not draft.respondents.filter(answers__isnull=False).exists()
    assert not mail.outbox


def test_nothing_is_prepared_from_an_open_round_alone(org_a, round_a):
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    assert services.evaluation_prepare(organisation=org_a, today=TODAY) is None
    assert services.evaluations_prepare_due(TODAY) == []
    assert org_a.rounds.count() == 1


def test_a_round_already_prepared_from_the_closed_round_is_not_made_twice(
    org_a, closed_and_open, people
):
    closed, _pilot = closed_and_open
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    draft = services.evaluation_prepare(organisation=org_a, today=TODAY)
    draft.status = RoundStatus.OPEN  # opened meanwhile: still the evaluation of `closed`
    draft.save()
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    assert services.evaluations_prepare_due(TODAY) == []
    with pytest.raises(services.CycleError) as exc:
        services.evaluation_prepare_now(access=access_for(people["consultant_a"], org_a))
    assert exc.value.messages[0] == str(ALREADY_PREPARED) % {
        "title": closed.title,
        "next": draft.title,
    }
    assert ScanRound.objects.filter(previous_round=closed).count() == 1


def test_prepare_now_is_for_consultants_and_needs_a_closed_round(org_a, round_a, people):
    for key in ("coordinator_a", "director_a", "workgroup_a", "consultant_b"):
        with pytest.raises(PermissionDenied):
            services.evaluation_prepare_now(access=access_for(people[key], org_a))
    with pytest.raises(services.CycleError) as exc:
        services.evaluation_prepare_now(access=access_for(people["consultant_a"], org_a))
    assert exc.value.messages[0] == str(NO_CLOSED_ROUND)
    assert org_a.rounds.count() == 1


def test_prepare_now_moves_the_schedule_on(org_a, closed_and_open, people):
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=TODAY)
    draft = services.evaluation_prepare_now(access=access_for(people["consultant_a"], org_a))
    assert draft.created_by == people["consultant_a"]
    org_a.evaluation_schedule.refresh_from_db()
    assert org_a.evaluation_schedule.next_due_on > TODAY + dt.timedelta(days=150)


# --- the schedule page ---------------------------------------------------------------------


def schedule_url():
    return reverse("actions:schedule", kwargs={"org": "alfa"})


def test_schedule_page_offers_prepare_now_with_the_closed_round(client, people, closed_and_open):
    client.force_login(people["consultant_a"])
    page = client.get(schedule_url()).content.decode()
    assert "Prepare now" in page and "Klantscan" in page and "8 respondents" in page
    assert "Pilot huurders" not in page


def test_prepare_now_needs_post_and_confirmation(client, people, org_a, closed_and_open):
    client.force_login(people["consultant_a"])
    count = org_a.rounds.count()
    client.get(schedule_url() + "?form=prepare&confirm=yes")
    response = client.post(schedule_url(), {"form": "prepare"}, follow=True)
    assert "Tick the box" in response.content.decode()
    assert org_a.rounds.count() == count
    response = client.post(schedule_url(), {"form": "prepare", "confirm": "yes"})
    draft = org_a.rounds.get(status=RoundStatus.DRAFT)
    assert response.status_code == 302 and response["Location"].endswith(f"/{draft.pk}/")
    response = client.post(schedule_url(), {"form": "prepare", "confirm": "yes"}, follow=True)
    assert "already been prepared" in response.content.decode()
    assert org_a.rounds.count() == count + 1


@pytest.mark.parametrize("role", ["coordinator", "director", "workgroup"])
def test_prepare_now_is_refused_to_other_roles(client, people, org_a, closed_and_open, role):
    client.force_login(people[f"{role}_a"])
    count = org_a.rounds.count()
    response = client.post(schedule_url(), {"form": "prepare", "confirm": "yes"})
    assert response.status_code in (403, 404)
    client.force_login(people["consultant_b"])
    assert client.post(schedule_url(), {"form": "prepare", "confirm": "yes"}).status_code == 404
    assert org_a.rounds.count() == count
