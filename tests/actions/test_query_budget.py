"""The results and review pages read a round's answers once and stay within a fixed number of
queries, whatever the number of actions (33 and 34 queries before, with five answer loads on
the review page). Four of them are the session, the user, the organisation and the
membership; one or two draw the site menu."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from core.permissions import access_for
from tests import factories
from tests.honeycomb.test_results import forced_answers

pytestmark = pytest.mark.django_db

# The site frame (menu, footer) comes from the cache (cms/site_frame.py), so this is all of it.
BUDGET = 10


@pytest.fixture
def two_rounds(org_a, version, people, closed_round):
    closed_round.closes_on = closed_round.opens_on - dt.timedelta(days=150)
    closed_round.opens_on = closed_round.closes_on - dt.timedelta(days=30)
    closed_round.save()
    now = factories.scan_round(org_a, version=version, title="Herhaling", period="2026")
    now.previous_round = closed_round
    now.save()
    forced_answers(now, "staff", 5, 3)
    forced_answers(now, "tenants", 5, 2)
    factories.release(now)
    for i in range(10):
        services.action_create(
            access=access_for(people["coordinator_a"], org_a), title=f"Actie {i}", cells=["KP1"]
        )
    return closed_round, now


def answer_loads(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if '"scan_answer"' in q["sql"])


@pytest.mark.parametrize("name", ["honeycomb:results", "review:round"])
@pytest.mark.parametrize("previous_signed", [False, True])
def test_pages_stay_within_the_query_budget(
    client, people, two_rounds, django_assert_max_num_queries, name, previous_signed
):
    before, now = two_rounds
    if previous_signed:
        review = services.review_for(before)
        review = services.review_save_summary(
            scan_round=before,
            access=access_for(people["consultant_a"], before.organisation),
            summary="Nulmeting",
            revision=review.revision,
            final=True,
        )
        services.review_sign_off(
            scan_round=before,
            access=access_for(people["director_a"], before.organisation),
            comment="",
            revision=review.revision,
        )
    services.review_for(now)
    client.force_login(people["director_a"])
    url = reverse(name, kwargs={"org": "alfa", "pk": now.pk})
    client.get(url)  # warm the model cache, as a running site has it
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(BUDGET):
        page = client.get(url)
    assert page.status_code == 200
    assert answer_loads(ctx) == 0  # figures come from the stored release, never the answers
    cell = next(c for c in page.context["cells"] if c.code == "KP1")
    assert cell.change == pytest.approx(2.5 - 2.0)  # staff 3 and tenants 2 against 2


def test_review_without_a_written_review_also_stays_within_budget(
    client, people, two_rounds, django_assert_max_num_queries
):
    _before, now = two_rounds
    client.force_login(people["director_a"])
    url = reverse("review:round", kwargs={"org": "alfa", "pk": now.pk})
    client.get(url)
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200
