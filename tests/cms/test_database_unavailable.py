"""The database dropping out gives the retry page (503, Retry-After) on every page."""

from unittest import mock

from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import translation

from tests import factories


def _results_url(scan_round) -> str:
    return reverse(
        "honeycomb:results", kwargs={"org": scan_round.organisation.slug, "pk": scan_round.pk}
    )


def test_results_page_gives_the_retry_page_when_the_database_is_locked(client, people, round_a):
    factories.release(round_a)  # figures to show, so the page reaches the database
    client.force_login(people["director_a"])
    url = _results_url(round_a)
    assert client.get(url).status_code == 200
    with mock.patch(
        "honeycomb.selectors.round_overlays",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Klantraat is even niet bereikbaar" in html
    assert f'href="{url}"' in html  # the try-again link points at the same page


def test_retry_page_is_translated_and_covers_a_lost_connection(client, people, round_a):
    factories.release(round_a)  # figures to show, so the page reaches the database
    client.force_login(people["director_a"])
    url = "/en" + _results_url(round_a)
    with mock.patch(
        "honeycomb.selectors.round_overlays",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = client.get(url)
    assert response.status_code == 503
    with translation.override("en"):
        assert "Klantraat is briefly unavailable" in response.content.decode()


def test_other_errors_still_raise(client, people, round_a):
    import pytest

    factories.release(round_a)  # figures to show, so the page reaches the database
    client.force_login(people["director_a"])
    with mock.patch("honeycomb.selectors.round_overlays", side_effect=ValueError("bug")):
        with pytest.raises(ValueError):
            client.get(_results_url(round_a))
