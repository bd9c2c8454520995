"""The monthly summaries: every figure computed from them equals the figure computed from the
raw answers, on random data sets; they follow each answer and can be rebuilt."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulse import aggregates, figures, services
from pulse.models import PulseMonthly, PulseResponse
from pulse.panels import months_back
from pulse.summary_guard import SummaryBypass
from tests.pulse.conftest import event, token_of
from tests.pulse.reference import raw_partner_rows, raw_pulse_figures

pytestmark = pytest.mark.django_db

DRIVER_CODES = ["eerste_keer_goed", "afspraak_nagekomen", "netjes", "woning_op_orde", "oud"]


def seed(organisation, moments, partners, rng: random.Random, count: int) -> None:
    """``count`` random answers over 15 months, a few partners and moments; grades skewed so
    some units fall under the threshold; drivers answered, skipped or unknown codes."""
    today = timezone.localdate()
    months = [months_back(today, n) for n in range(15)]
    choices = list(moments.values())
    weights = [rng.random() + 0.05 for _ in partners]
    rows = []
    for _ in range(count):
        moment = rng.choice(choices)
        drivers = {
            code: rng.choice([True, False, None])
            for code in rng.sample(DRIVER_CODES, rng.randrange(0, 4))
        }
        rows.append(
            PulseResponse(
                organisation=organisation,
                moment=moment,
                questionnaire=moment.questionnaires.first(),
                partner=rng.choices(partners, weights)[0],
                area=f"Complex {rng.randrange(3)}",
                month=rng.choice(months),
                grade=rng.choice([rng.randint(1, 10), rng.randint(6, 9)]),
                drivers=drivers,
            )
        )
    aggregates.responses_add(rows)


@pytest.fixture
def partners(org_a):
    return [None] + [
        services.partner_create(organisation=org_a, name=f"Partner {n}") for n in range(4)
    ]


def assert_same_as_raw(org_a, partners, threshold: int) -> None:
    for partner in partners:
        assert figures.pulse_figures(org_a, partner, threshold) == raw_pulse_figures(
            org_a, partner, threshold
        )
    assert figures.overview_figures(org_a, threshold)["partners"] == raw_partner_rows(
        org_a, threshold
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed_value=st.integers(0, 10**6),
    count=st.integers(0, 160),
    threshold=st.sampled_from([1, 5, 10, 30]),
)
def test_figures_from_the_summaries_equal_figures_from_the_answers(
    org_a, moments, partners, seed_value, count, threshold
):
    aggregates.responses_remove(PulseResponse.objects.all())
    assert not PulseMonthly.objects.filter(n__gt=0).exists()
    seed(org_a, moments, partners, random.Random(seed_value), count)
    assert_same_as_raw(org_a, partners, threshold)


def test_a_rebuild_gives_the_same_summaries(org_a, moments, partners):
    seed(org_a, moments, partners, random.Random(7), 400)
    kept = set(
        PulseMonthly.objects.filter(n__gt=0).values_list(
            "moment_id", "partner_key", "month", "question", "n", "total", "squares", "dissatisfied"
        )
    )
    PulseMonthly.objects.update(n=0, total=0)  # drift
    call_command("pulse_rebuild_summaries", "--organisation", org_a.slug, verbosity=0)
    rebuilt = set(
        PulseMonthly.objects.values_list(
            "moment_id", "partner_key", "month", "question", "n", "total", "squares", "dissatisfied"
        )
    )
    assert rebuilt == kept and len(kept) > 20
    assert_same_as_raw(org_a, partners, 5)


def _summaries(month=None) -> set:
    rows = PulseMonthly.objects.all() if month is None else PulseMonthly.objects.filter(month=month)
    return set(rows.values_list("moment_id", "partner_key", "month", "question", "n", "total"))


def test_the_nightly_rebuild_re_sums_only_the_months_that_changed(org_a, moments, partners):
    from pulse.tasks import rebuild_summaries

    seed(org_a, moments, partners, random.Random(5), 300)
    kept = _summaries()
    assert rebuild_summaries() > 0  # no fingerprint yet: the organisation is re-summed whole
    assert _summaries() == kept
    assert rebuild_summaries() == 0  # nothing changed since: nothing is touched
    months = sorted({m for _mo, _p, m, _q, _n, _t in kept})
    quiet, busy = months[0], months[-1]
    PulseMonthly.objects.filter(month__in=[quiet, busy]).update(n=0, total=0)  # drift
    answer = PulseResponse.objects.filter(month=busy).first()
    answer.pk = None
    # A new answer in the busy month stored past the summaries (the live count is part of the drift).
    PulseResponse.summarised.bulk_create([answer])
    rebuild_summaries()
    assert all(n == 0 for *_rest, n, _t in _summaries(quiet))  # untouched: no change there
    expected = _summaries(busy)
    call_command("pulse_rebuild_summaries", verbosity=0)  # the full rebuild agrees
    assert _summaries(busy) == expected
    assert all(n for *_rest, n, _t in _summaries(quiet))
    assert_same_as_raw(org_a, partners, 5)


def test_rebuild_with_an_unknown_organisation_changes_nothing(org_a, moments, partners):
    from django.core.management.base import CommandError

    seed(org_a, moments, partners, random.Random(3), 50)
    before = PulseMonthly.objects.count()
    with pytest.raises(CommandError, match="Unknown organisation: nope"):
        call_command("pulse_rebuild_summaries", "--organisation", "nope")
    assert PulseMonthly.objects.count() == before


def test_an_answer_through_the_survey_link_is_counted_in_its_transaction(org_a, moments):
    services.events_ingest(organisation=org_a, items=[event(1)])
    pulse_event = org_a.pulse_events.get()
    services.response_submit(
        token=token_of(pulse_event),
        grade=4,
        drivers={"eerste_keer_goed": False, "netjes": None},
        effort=2,
        open_answer="",
        call_back=False,
    )
    rows = {
        r.question: (r.n, r.total, r.squares, r.dissatisfied)
        for r in PulseMonthly.objects.filter(organisation=org_a)
    }
    assert rows == {aggregates.GRADE: (1, 4, 16, 1), "eerste_keer_goed": (1, 0, 0, 0)}
    assert PulseMonthly.objects.get(question=aggregates.GRADE).partner_key == pulse_event.partner_id


def test_a_refused_answer_leaves_the_summaries_alone(org_a, moments):
    services.events_ingest(organisation=org_a, items=[event(1)])
    token = token_of(org_a.pulse_events.get())
    with pytest.raises(services.PulseError):
        services.response_submit(
            token=token, grade=11, drivers={}, effort=None, open_answer="", call_back=False
        )
    assert not PulseMonthly.objects.exists()


def test_deleting_answers_takes_them_out_of_the_summaries(org_a, moments, partners):
    seed(org_a, moments, partners, random.Random(5), 120)
    assert aggregates.responses_remove(PulseResponse.objects.filter(grade__lte=5)) > 0
    grades = PulseMonthly.objects.filter(question=aggregates.GRADE)
    assert sum(grades.values_list("dissatisfied", flat=True)) == 0
    assert sum(grades.values_list("n", flat=True)) == PulseResponse.objects.count()
    assert_same_as_raw(org_a, partners, 5)


def _answer(organisation, moment, grade=7, **fields):
    return PulseResponse(
        organisation=organisation,
        moment=moment,
        questionnaire=moment.questionnaires.first(),
        month=dt.date(2026, 1, 1),
        grade=grade,
        **fields,
    )


def _grade_sums():
    return sorted(
        PulseMonthly.objects.filter(question=aggregates.GRADE).values_list(
            "moment_id", "month", "n", "total", "squares", "dissatisfied"
        )
    )


def test_each_write_path_keeps_the_summaries_right(org_a, moments, partners):
    """One answer, many answers, removing some: after each the summaries equal the answers."""
    moment = moments["reparatie"]
    aggregates.response_add(
        organisation=org_a,
        moment=moment,
        questionnaire=moment.questionnaires.first(),
        month=dt.date(2026, 1, 1),
        grade=4,
        drivers={"eerste_keer_goed": False},
    )
    assert _grade_sums() == [(moment.pk, dt.date(2026, 1, 1), 1, 4, 16, 1)]
    aggregates.responses_add([_answer(org_a, moment, g) for g in (6, 8, 9)])
    assert _grade_sums() == [(moment.pk, dt.date(2026, 1, 1), 4, 27, 197, 1)]
    assert aggregates.responses_remove(PulseResponse.objects.filter(grade__gte=8)) == 2
    assert _grade_sums() == [(moment.pk, dt.date(2026, 1, 1), 2, 10, 52, 1)]
    seed(org_a, moments, partners, random.Random(11), 60)
    aggregates.responses_remove(PulseResponse.objects.filter(partner__isnull=False))
    assert_same_as_raw(org_a, partners, 1)


def test_writes_that_would_skip_the_summaries_are_refused(org_a, moments):
    moment = moments["reparatie"]
    [stored] = aggregates.responses_add([_answer(org_a, moment, 3, open_answer="Lekkage")])
    before = _grade_sums()
    refused = {
        "create": lambda: PulseResponse.objects.create(
            organisation=org_a,
            moment=moment,
            questionnaire=moment.questionnaires.first(),
            month=dt.date(2026, 1, 1),
            grade=7,
        ),
        "related create": lambda: org_a.pulse_responses.create(
            moment=moment,
            questionnaire=moment.questionnaires.first(),
            month=dt.date(2026, 1, 1),
            grade=7,
        ),
        "bulk_create": lambda: PulseResponse.objects.bulk_create([_answer(org_a, moment)]),
        "upsert": lambda: PulseResponse.objects.bulk_create(
            [_answer(org_a, moment)], ignore_conflicts=True
        ),
        "save new": lambda: _answer(org_a, moment).save(),
        "save changed": lambda: stored.save(),
        "save grade": lambda: stored.save(update_fields=["grade"]),
        "update grade": lambda: PulseResponse.objects.update(grade=9),
        "update month": lambda: PulseResponse.objects.update(month=dt.date(2025, 1, 1)),
        "bulk_update grade": lambda: PulseResponse.objects.bulk_update([stored], ["grade"]),
        "queryset delete": lambda: PulseResponse.objects.all().delete(),
        "instance delete": lambda: stored.delete(),
    }
    for name, write in refused.items():
        with pytest.raises(SummaryBypass):
            write()
        assert _grade_sums() == before, name
    assert PulseResponse.objects.count() == 1
    # What the summaries do not read may change.
    PulseResponse.objects.update(open_answer="")
    stored.open_answer = "Opgelost"
    stored.save(update_fields=["open_answer"])
    assert PulseResponse.objects.get().open_answer == "Opgelost" and _grade_sums() == before


def test_an_organisation_removed_takes_its_answers_and_summaries_along(org_a, moments):
    aggregates.responses_add([_answer(org_a, moments["reparatie"], g) for g in (2, 9)])
    org_a.delete()
    assert not PulseResponse.objects.exists() and not PulseMonthly.objects.exists()
