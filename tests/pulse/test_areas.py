"""The overview's figures per complex or area: the same disclosure rules as per partner (a
mean from the threshold; small areas roll up so none can be recovered by subtraction)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pulse import aggregates
from pulse.figures import area_rows, year_start
from pulse.models import CustomerMoment, PulseResponse

pytestmark = pytest.mark.django_db


def answers(moment, area: str, grades: list[int], month: dt.date | None = None) -> None:
    aggregates.responses_add(
        PulseResponse(
            organisation=moment.organisation,
            moment=moment,
            questionnaire=moment.questionnaires.first(),
            area=area,
            month=month or timezone.localdate().replace(day=1),
            grade=grade,
        )
        for grade in grades
    )


def test_areas_get_their_figures_and_small_ones_roll_up(org_a, moments):
    repair = CustomerMoment.objects.get(organisation=org_a, code="reparatie")
    answers(repair, "Complex De Linde", [8, 7, 9, 4, 8, 8])  # 6 answers, 1 dissatisfied
    answers(repair, "Wijk Noord", [6, 7, 8, 7, 7])  # 5 answers
    answers(repair, "Flat Zuid", [2, 3])  # too few on its own
    answers(repair, "Oud", [1, 1, 1, 1, 1], month=dt.date(2020, 1, 1))  # outside the year
    rows = {r["label"]: r for r in area_rows(org_a, 5, year_start(timezone.localdate()))}
    assert rows["Complex De Linde"]["mean"] == pytest.approx(7.3)
    assert rows["Complex De Linde"]["dissatisfied_pct"] == 17
    assert "Flat Zuid" not in rows and "Oud" not in rows
    # Flat Zuid alone would be under 5 and could be recovered from the total: the smallest
    # published area (Wijk Noord) is folded in with it.
    assert "Wijk Noord" not in rows
    assert rows["Overige gebieden"]["n"] == 7 and not rows["Overige gebieden"]["suppressed"]


def test_no_area_table_when_no_event_names_an_area(client, people, org_a, moments):
    repair = CustomerMoment.objects.get(organisation=org_a, code="reparatie")
    answers(repair, "", [8] * 6)
    assert area_rows(org_a, 5, year_start(timezone.localdate())) == []
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("pulse:overview", kwargs={"org": org_a.slug}))
    assert page.status_code == 200 and "Per complex of gebied" not in page.content.decode()


def test_the_overview_shows_the_areas(client, people, org_a, moments):
    repair = CustomerMoment.objects.get(organisation=org_a, code="reparatie")
    answers(repair, "Complex De Linde", [8, 7, 9, 4, 8, 8])
    answers(repair, "Wijk Noord", [6, 7, 8, 7, 7])
    answers(repair, "Flat Zuid", [2, 3])
    client.force_login(people["director_a"])
    page = client.get(reverse("pulse:overview", kwargs={"org": org_a.slug})).content.decode()
    assert "Per complex of gebied" in page and "Complex De Linde" in page
    assert "Flat Zuid" not in page and "Overige gebieden" in page  # never shown on their own
