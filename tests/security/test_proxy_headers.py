"""X-Forwarded-Proto counts only from KLANTRAAT_TRUSTED_PROXIES: a client on plain HTTP who
claims HTTPS is still redirected to HTTPS and never treated as on a secure connection."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
CLIENT = "203.0.113.9"


@pytest.fixture(autouse=True)
def _production_like():
    with override_settings(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        SECURE_SSL_REDIRECT=True,
        KLANTRAAT_TRUSTED_PROXIES=[PROXY],
    ):
        yield


def test_a_client_claiming_https_is_still_redirected(client):
    response = client.get("/healthz/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_trusted_proxy_is_believed(client):
    response = client.get("/healthz/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_without_trusted_proxies_nobody_is_believed(client, settings):
    settings.KLANTRAAT_TRUSTED_PROXIES = []
    response = client.get("/healthz/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
