"""The pulse beside the honeycomb: the cell page and the dashboard, through the hooks."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pulse import aggregates
from pulse.models import CallBack, PulseResponse
from pulse.panels import between_rounds, cell_panels, months_back
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(org_a, version):
    today = timezone.localdate()
    scan_round = factories.scan_round(
        org_a,
        version=version,
        status="closed",
        opens_on=today - dt.timedelta(days=90),
        closes_on=today - dt.timedelta(days=60),
    )
    factories.release(scan_round)
    return scan_round


def answers(moment, grades, month=None):
    month = month or timezone.localdate().replace(day=1)
    questionnaire = moment.questionnaires.first()
    aggregates.responses_add(
        PulseResponse(
            organisation=moment.organisation,
            moment=moment,
            questionnaire=questionnaire,
            month=month,
            grade=grade,
        )
        for grade in grades
    )


def cell_url(scan_round, cell):
    return reverse(
        "honeycomb:cell",
        kwargs={"org": scan_round.organisation.slug, "pk": scan_round.pk, "cell": cell},
    )


def test_the_repairs_cell_shows_the_pulse_of_the_repair_moment(
    client, people, closed_round, moments
):
    answers(moments["reparatie"], [8, 8, 7, 9, 4, 6])
    answers(moments["woning_betrekken"], [9] * 6)  # tags KP1, not the repairs cell
    client.force_login(people["director_a"])
    page = client.get(cell_url(closed_round, "KP2")).content.decode()
    assert "Huurderspuls tussen de rondes" in page
    assert "Reparatie" in page and "7,0" in page and "17% (boven de 15%-lijn)" in page
    assert "Woning betrekken" not in page


def test_a_moment_below_the_threshold_shows_no_figure(client, people, closed_round, moments):
    answers(moments["reparatie"], [3, 3, 3, 3])
    [panel] = cell_panels(closed_round, "KP2", "nl")
    assert panel.table.rows == [["Reparatie", "te weinig reacties", "", "minder dan 5"]]
    client.force_login(people["director_a"])
    page = client.get(cell_url(closed_round, "KP2")).content.decode()
    assert "te weinig reacties" in page and "3,0" not in page


def test_a_cell_no_question_informs_has_no_panel(client, people, closed_round, moments):
    answers(moments["reparatie"], [8] * 6)
    assert cell_panels(closed_round, "KV1", "nl") == []
    client.force_login(people["director_a"])
    assert (
        "Huurderspuls tussen de rondes"
        not in client.get(cell_url(closed_round, "KV1")).content.decode()
    )


def test_only_answers_after_the_round_closed_count(closed_round, moments):
    before = months_back(closed_round.closes_on, 1)
    answers(moments["reparatie"], [2] * 6, month=before)
    answers(moments["reparatie"], [8] * 6)
    [panel] = cell_panels(closed_round, "KP2", "en")
    assert panel.table.rows[0][1:] == ["8.0", "0% (within the 15% line)", "6"]


def test_an_open_round_shows_the_last_twelve_months(org_a, version):
    today = dt.date(2026, 5, 20)
    scan_round = factories.scan_round(
        org_a, version=version, opens_on=today, closes_on=today + dt.timedelta(days=20)
    )
    assert between_rounds(scan_round, today) == (dt.date(2025, 6, 1), None)


def test_the_pulse_ends_where_the_next_round_begins(closed_round, org_a, version, moments):
    today = timezone.localdate()
    factories.scan_round(
        org_a, version=version, opens_on=today - dt.timedelta(days=10), closes_on=today
    )
    since, until = between_rounds(closed_round, today)
    assert since == closed_round.closes_on.replace(day=1)
    assert until == today - dt.timedelta(days=10)


def test_the_dashboard_shows_a_pulse_line_per_moment(client, people, closed_round, moments):
    answers(moments["reparatie"], [8, 8, 7, 9, 4, 6])
    answers(moments["woning_verlaten"], [7, 7])
    client.force_login(people["director_a"])
    page = client.get(reverse("actions:dashboard", kwargs={"org": "alfa"})).content.decode()
    assert "Reparatie: 7,0 · 17% ontevreden · 6 reacties" in page
    assert "Woning verlaten: te weinig reacties" in page


def test_the_dashboard_counts_open_call_backs(client, people, closed_round, moments):
    answers(moments["reparatie"], [3])
    CallBack.objects.create(
        organisation=closed_round.organisation,
        response=PulseResponse.objects.get(),
        phone="0612345678",
        deadline=dt.date(2026, 12, 4),
    )
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("actions:dashboard", kwargs={"org": "alfa"})).content.decode()
    assert "1 huurder vroeg om terugbellen, de eerste vóór 4 december 2026." in page
