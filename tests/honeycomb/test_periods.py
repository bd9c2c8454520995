"""Period labels come from a round's dates, in the page's language."""

import datetime as dt

from django.utils import translation

from honeycomb.periods import period_label


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
