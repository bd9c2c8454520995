"""Period labels come from a round's dates, in the page's language."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from scan.periods import period_label


def test_period_labels_follow_the_language():
    may, june = dt.date(2026, 5, 21), dt.date(2026, 6, 20)
    with translation.override("nl"):
        assert period_label(may, june) == "mei–juni 2026"
        assert period_label(june, june) == "juni 2026"
        assert (
            period_label(dt.date(2026, 12, 4), dt.date(2027, 1, 1))
            == "december 2026 – januari 2027"
        )
    with translation.override("en"):
        assert period_label(may, june) == "May–June 2026"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["scan:round", "review:round", "scan:organisation"])
def test_pages_name_a_round_by_its_dates_in_their_language(client, people, org_a, version, name):
    from tests import factories

    scan_round = factories.scan_round(
        org_a,
        version=version,
        status="closed",
        period="najaar 2025",
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2025, 11, 15),
    )
    factories.release(scan_round)
    client.force_login(people["director_a"])
    kwargs = {"org": org_a.slug}
    if name != "scan:organisation":
        kwargs["pk"] = scan_round.pk
    with translation.override("en"):  # the English page's address
        html = client.get(reverse(name, kwargs=kwargs)).content.decode()
    assert "October–November 2025" in html
    assert "najaar" not in html


def test_a_measures_quarter_follows_the_language():
    from scan.periods import quarter_label

    with translation.override("en"):
        assert quarter_label("2025-K4") == "2025-Q4"
        assert quarter_label("2025") == "2025"  # any other period as imported
    with translation.override("nl"):
        assert quarter_label("2025-K4") == "2025-K4"
        assert quarter_label("2025-q1") == "2025-K1"
