"""The review shows measures of the round's period and actions as they stood at its close."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions import report, selectors, services
from actions.models import ActionEvent, ExternalMeasure, ImprovementAction
from core.permissions import access_for
from scan.models import RoundStatus
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D1 = TODAY - dt.timedelta(days=200)  # the first round closed
D2 = TODAY - dt.timedelta(days=10)  # the second round closed


def action_counts_as_of(organisation, date: dt.date) -> dict:
    """Open, overdue and done actions as they stood at the end of ``date``."""
    return selectors.action_counts(selectors.action_rows(organisation, until=date), today=date)


def open_actions_per_cell_as_of(organisation, date: dt.date) -> dict[str, int]:
    return selectors.open_per_cell(selectors.action_rows(organisation, until=date))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def two_rounds(org_a, version):
    first = factories.scan_round(
        org_a,
        version=version,
        title="Nulmeting",
        status=RoundStatus.CLOSED,
        opens_on=D1 - dt.timedelta(days=30),
        closes_on=D1,
    )
    second = factories.scan_round(
        org_a,
        version=version,
        title="Evaluatie",
        status=RoundStatus.CLOSED,
        opens_on=D2 - dt.timedelta(days=30),
        closes_on=D2,
        previous_round=first,
    )
    return first, second


def measure(org, period, end):
    return ExternalMeasure.objects.create(
        organisation=org, source="Aedes", kind="repairs", period=period, period_end=end, value=7
    )


def at(date, hour=12):
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))


def backdate(action, created, *changes):
    """Put an action's creation and its later changes at the given moments."""
    ImprovementAction.objects.filter(pk=action.pk).update(created_at=at(created))
    events = list(action.events.order_by("pk"))
    for event, moment in zip(events, [created, *changes], strict=True):
        ActionEvent.objects.filter(pk=event.pk).update(at=at(moment))


def test_round_period_runs_from_the_previous_close_to_this_close(two_rounds):
    first, second = two_rounds
    assert selectors.round_period(second) == (D1 + dt.timedelta(days=1), D2)
    assert selectors.round_period(first) == (D1 - dt.timedelta(days=364), D1)


def test_round_period_without_a_link_uses_the_latest_earlier_round(org_a, version, two_rounds):
    first, second = two_rounds
    second.previous_round = None
    second.save()
    assert selectors.round_period(second)[0] == D1 + dt.timedelta(days=1)


def test_measures_for_period_keeps_those_ending_inside_the_window(org_a, two_rounds):
    first, second = two_rounds
    measure(org_a, "old", D1)
    inside = [measure(org_a, "start", D1 + dt.timedelta(days=1)), measure(org_a, "end", D2)]
    measure(org_a, "later", D2 + dt.timedelta(days=1))
    assert list(selectors.measures_for_round(second)) == inside
    assert [m.period for m in selectors.measures_for_round(first)] == ["old"]


def test_action_counts_as_of_rebuild_status_from_the_history(people, org_a, two_rounds):
    user = people["workgroup_a"]
    done_later = services.action_create(
        access=access_for(user, org_a), title="A", cells=["KP1"], status="in_progress"
    )
    done_later = services.action_change(
        action=done_later,
        access=access_for(user, done_later.organisation),
        revision=1,
        status="done",
    )
    backdate(done_later, D2 - dt.timedelta(days=30), D2 + dt.timedelta(days=5))
    overdue = services.action_create(
        access=access_for(user, org_a),
        title="B",
        cells=["KP2"],
        start_on=D2 - dt.timedelta(days=20),
        due_on=D2 - dt.timedelta(days=3),
    )
    backdate(overdue, D2 - dt.timedelta(days=20))
    services.action_create(access=access_for(user, org_a), title="C", cells=["KP1"])  # after D2
    finished = services.action_create(
        access=access_for(user, org_a), title="D", cells=["KV1"], status="in_progress"
    )
    finished = services.action_change(
        action=finished, access=access_for(user, finished.organisation), revision=1, status="done"
    )
    backdate(finished, D1 - dt.timedelta(days=10), D1 - dt.timedelta(days=5))

    counts = action_counts_as_of(org_a, D2)
    assert (counts["open"], counts["overdue"], counts["done"]) == (2, 1, 1)
    assert open_actions_per_cell_as_of(org_a, D2) == {"KP1": 1, "KP2": 1}
    today = selectors.dashboard(org_a)
    assert (today["open"], today["done"]) == (2, 2)  # A is done today, C is open today
    first_counts = action_counts_as_of(org_a, D1)
    assert (first_counts["open"], first_counts["done"]) == (0, 1)


def test_review_page_and_board_report_use_the_round_period(client, people, org_a, two_rounds):
    first, second = two_rounds
    measure(org_a, "2024-K4", D1)
    measure(org_a, "2025-K2", D2 - dt.timedelta(days=5))
    measure(org_a, "na de ronde", TODAY)
    user = people["workgroup_a"]
    action = services.action_create(
        access=access_for(user, org_a), title="Bellen", cells=["KP1"], status="planned"
    )
    action = services.action_change(
        action=action, access=access_for(user, action.organisation), revision=1, status="done"
    )
    backdate(action, D2 - dt.timedelta(days=40), D2 + dt.timedelta(days=2))
    client.force_login(people["director_a"])
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("review:round", kwargs={"org": "alfa", "pk": second.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "2025-Q2" in page and "2024-Q4" not in page and "na de ronde" not in page  # in English
    assert "1 open, of which 0 overdue; 0 done." in page
    sections = {s.title: s for s in report.sections(second, "en")}
    improvement = sections["Improvement actions"]
    assert improvement.paragraphs[0] == "1 open, of which 0 overdue; 0 done."
    assert improvement.table[1][:2] == ["Bellen", "Planned"]
