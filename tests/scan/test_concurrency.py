"""Two tabs, two editors, a sign-off racing an edit: no lost update, no duplicate."""

import threading

import pytest
from django.db import connections

from actions import services as cycle
from actions.models import Review
from core.permissions import access_for
from scan import services
from scan.models import Answer
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same moment in threads; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected for the assertions
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_same_step_from_two_tabs_at_once_stores_each_answer_once(round_a):
    respondent = factories.respondent(round_a)
    step = ["KP1.1", "KP1.2"]
    for _ in range(5):
        _results, errors = race(
            lambda: services.answers_save(
                respondent=respondent,
                answers=[AnswerInput(c, 2) for c in step],
                cell_code="KP1",
                step_comment="tab 1",
            ),
            lambda: services.answers_save(
                respondent=respondent,
                answers=[AnswerInput(c, 4) for c in step],
                cell_code="KP1",
                step_comment="tab 2",
            ),
        )
        assert errors == [None, None]
        rows = list(
            Answer.objects.filter(respondent=respondent).values_list("statement_code", "level")
        )
        assert sorted(code for code, _ in rows) == step
        assert len({level for _, level in rows}) == 1  # one tab's step as a whole, never a mix


def test_two_editors_of_one_action_never_lose_an_update(people, org_a, version):
    factories.scan_round(org_a, version=version)
    action = cycle.action_create(
        access=access_for(people["workgroup_a"], org_a), title="Start", cells=["KP1"]
    )
    results, errors = race(
        lambda: cycle.action_change(
            action=action,
            access=access_for(people["workgroup_a"], action.organisation),
            revision=1,
            title="Van de eigenaar",
        ),
        lambda: cycle.action_change(
            action=action,
            access=access_for(people["consultant_a"], action.organisation),
            revision=1,
            title="Van de adviseur",
        ),
    )
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert sum(isinstance(e, cycle.CycleError) for e in errors) == 1
    action.refresh_from_db()
    assert action.title == winners[0].title and action.revision == 2


def test_sign_off_racing_a_summary_edit(people, org_a, version):
    from tests.actions.conftest import answer_round

    scan_round = factories.scan_round(org_a, version=version)
    answer_round(scan_round, "staff", 5, 3)
    factories.release(scan_round)
    review = cycle.review_for(scan_round)
    _results, errors = race(
        lambda: cycle.review_save_summary(
            scan_round=scan_round,
            access=access_for(people["consultant_a"], scan_round.organisation),
            summary="Late change",
            revision=review.revision,
        ),
        lambda: cycle.review_sign_off(
            scan_round=scan_round,
            access=access_for(people["director_a"], scan_round.organisation),
            comment="",
            revision=review.revision,
        ),
    )
    assert sum(e is None for e in errors) == 1
    review = Review.objects.get(pk=review.pk)
    if review.is_signed_off:
        assert review.frozen["summary"] == "" and review.summary == ""
    else:
        assert review.summary == "Late change"
