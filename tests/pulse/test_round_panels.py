"""The pulse beside a round's review and a cell's trend, through the honeycomb's hooks: before
and since each round, nothing below the threshold, and nothing breaks without pulse data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from pulse.panels import months_back
from pulse.panels_rounds import review_panels, run_up, trend_panels
from tests import factories
from tests.pulse.test_panels import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(org_a, version):
    """A closed round a year ago and a closed round two months ago."""
    today = timezone.localdate()
    first = factories.scan_round(
        org_a,
        version=version,
        status="closed",
        period="najaar 2025",
        opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=380),
    )
    second = factories.scan_round(
        org_a,
        version=version,
        status="closed",
        period="najaar 2026",
        opens_on=today - dt.timedelta(days=90),
        closes_on=today - dt.timedelta(days=60),
    )
    factories.release(first)
    factories.release(second)
    return first, second


def page(client, name: str, scan_round, **query) -> str:
    with translation.override("en"):
        url = reverse(name, kwargs={"org": scan_round.organisation.slug, "pk": scan_round.pk})
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_run_up_to_a_round_starts_where_the_round_before_closed(rounds):
    first, second = rounds
    today = timezone.localdate()
    assert run_up(second, today) == (
        first.closes_on.replace(day=1),
        second.closes_on.replace(day=1),
    )
    start = first.closes_on.replace(day=1)
    assert run_up(first, today) == (months_back(start, 12), start)


def test_the_review_shows_the_pulse_before_and_since_the_round(client, people, rounds, moments):
    _first, second = rounds
    answers(moments["reparatie"], [6, 6, 6, 6, 6, 5], month=months_back(second.closes_on, 1))
    answers(moments["reparatie"], [8, 8, 7, 9, 4, 6])
    answers(moments["woning_betrekken"], [9, 9])  # below the threshold of 5
    client.force_login(people["director_a"])
    html = page(client, "review:round", second)
    assert "Tenant pulse for the cells of this round" in html
    assert "5.8 · 17% dissatisfied · 6 responses" in html  # before
    assert "7.0 · 17% dissatisfied · 6 responses" in html  # since
    assert "too few responses" in html and "9.0" not in html
    [panel] = review_panels(second, "en")
    rows = {(r[0].split()[0], r[1]): r[2:] for r in panel.table.rows}
    assert rows[("KP2", "Repair")] == [  # above 15 % dissatisfied: flagged
        "5.8 · 17% dissatisfied · 6 responses · ⚠ above the 15% line",
        "7.0 · 17% dissatisfied · 6 responses · ⚠ above the 15% line",
    ]
    assert rows[("KP1", "Moving in")] == ["no responses", "too few responses"]
    assert not any(code == "KV1" for code, _moment in rows)  # no question informs it
    # The board pack (PDF and deck) carries the same panel.
    from honeycomb.services import board_pack_for

    with translation.override("en"):
        pack = board_pack_for(second, "en")
    [section] = [s for s in pack.sections if s.title == panel.title]
    assert section.table == [panel.table.head, *panel.table.rows]
    assert section.paragraphs == panel.lines


def test_the_review_without_pulse_data_has_no_pulse_panel(client, people, rounds):
    client.force_login(people["director_a"])
    html = page(client, "review:round", rounds[1])
    assert "Tenant pulse" not in html
    assert review_panels(rounds[1], "en") == []


def test_the_trend_shows_the_pulse_before_each_round_and_since(client, people, rounds, moments):
    first, second = rounds
    answers(moments["reparatie"], [7] * 6, month=months_back(first.closes_on, 2))
    answers(moments["reparatie"], [3, 3, 3])  # since the last round: too few
    client.force_login(people["director_a"])
    html = page(client, "honeycomb:trend", second, cell="KP2")
    assert "Tenant pulse beside the rounds" in html
    [panel] = trend_panels(second, "KP2", "en")
    assert panel.table.head[1:] == ["Repair"]
    labels = [row[0] for row in panel.table.rows]
    with translation.override("en"):  # the period from the dates, never the Dutch free text
        first_label, second_label = first.period_label, second.period_label
    assert "najaar" not in " ".join(labels)
    assert labels[0].startswith(f"Before {first_label}")
    assert labels[1].startswith(f"Before {second_label}")
    assert labels[2].startswith(f"Since {second_label}")
    values = [row[1] for row in panel.table.rows]
    assert values == ["7.0 · 0% dissatisfied · 6 responses", "no responses", "too few responses"]
    assert "3.0" not in html


def test_the_trend_of_a_cell_without_pulse_questions_or_data(client, people, rounds, moments):
    client.force_login(people["director_a"])
    assert "Tenant pulse" not in page(client, "honeycomb:trend", rounds[1], cell="KV1")
    html = page(client, "honeycomb:trend", rounds[1], cell="KP2")
    assert "Tenant pulse beside the rounds" in html and "no responses" in html


def test_a_period_names_the_last_month_it_counts():
    from pulse.panels_rounds import _period

    with translation.override("en"):
        # until the next round opened on the 21st: November's answers count
        assert _period((dt.date(2026, 6, 1), dt.date(2026, 11, 21))) == "June 2026 to November 2026"
        assert _period((dt.date(2025, 11, 1), dt.date(2026, 5, 1))) == "November 2025 to April 2026"
        assert _period((dt.date(2026, 6, 1), None)) == "since June 2026"


def test_a_round_still_open_is_not_the_round_before(rounds, version, client, people, moments):
    """A round that opened earlier but is still open (closing after the reviewed round) gave
    the review a window running backwards: "januari 2027 tot en met november 2026"."""
    first, second = rounds
    today = timezone.localdate()
    factories.scan_round(
        second.organisation,
        version=version,
        status="open",
        period="doorlopend",
        opens_on=second.opens_on - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=40),
    )
    since, end = run_up(second, today)
    assert (since, end) == (first.closes_on.replace(day=1), second.closes_on.replace(day=1))
    assert since <= end
    # A closed round that ran on past the reviewed round's end does not count either.
    factories.scan_round(
        second.organisation,
        version=version,
        status="closed",
        period="uitgelopen",
        opens_on=second.opens_on - dt.timedelta(days=5),
        closes_on=second.closes_on + dt.timedelta(days=20),
    )
    assert run_up(second, today) == (since, end)
    answers(moments["reparatie"], [6, 6, 6, 6, 6, 5], month=months_back(second.closes_on, 1))
    client.force_login(people["director_a"])
    html = page(client, "review:round", second)
    with translation.override("en"):
        start = formats.date_format(since, "YEAR_MONTH_FORMAT")
    assert f"before this round ({start} to" in html
