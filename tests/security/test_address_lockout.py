"""Password spraying: one client address failing on many different accounts is refused too, on
both login forms, at a limit far above the per-account one; successes never count."""

import pytest
from django.test import override_settings
from django.utils import translation

from cms.login_policy import ADDRESS_FAILURE_LIMIT
from tests import factories

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/login/"
CMS_LOGIN = "/cms/login/"
ATTACKER = "198.51.100.66"
OFFICE = "192.0.2.10"
PROXY = "192.0.2.1"


def login(client, url: str, email: str, password: str, remote: str = ATTACKER, **extra):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=remote, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def spray(client, url: str, remote: str = ATTACKER, times: int = ADDRESS_FAILURE_LIMIT, **extra):
    """One wrong password each for ``times`` different accounts (most of them unknown)."""
    return [
        login(client, url, f"sprayed{i}@example.org", "Welkom2026!", remote, **extra)
        for i in range(times)
    ]


def test_the_address_limit_is_far_above_the_account_limit(settings):
    assert ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("url", [SITE_LOGIN, CMS_LOGIN])
def test_spraying_many_accounts_from_one_address_locks_that_address(client, people, url):
    responses = spray(client, url, times=ADDRESS_FAILURE_LIMIT - 1)
    assert all(r.status_code == 200 for r in responses)  # the form again: wrong password
    assert spray(client, url, times=1)[0].status_code == 429  # the limit-th failure locks
    # Now even a real account with its right password is refused from that address, on both
    # login forms, with the lockout page that says what happened.
    for form in (SITE_LOGIN, CMS_LOGIN):
        response = login(client, form, people["director_a"].email, factories.PASSWORD)
        assert response.status_code == 429, form
        assert not logged_in(client)
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    with translation.override("en"):
        response = login(client, "/en/login/", people["director_a"].email, factories.PASSWORD)
    assert response.status_code == 429
    assert f"Logging in failed {ADDRESS_FAILURE_LIMIT} times from this connection" in (
        response.content.decode()
    )


def test_failures_on_both_forms_add_up(client, people):
    half = ADDRESS_FAILURE_LIMIT // 2
    spray(client, SITE_LOGIN, times=half)
    spray(client, CMS_LOGIN, times=ADDRESS_FAILURE_LIMIT - half)
    assert (
        login(client, CMS_LOGIN, people["director_a"].email, factories.PASSWORD).status_code == 429
    )


def test_another_address_is_not_locked(client, people):
    spray(client, SITE_LOGIN)
    for url in (SITE_LOGIN, CMS_LOGIN):
        response = login(client, url, people["director_a"].email, factories.PASSWORD, OFFICE)
        assert response.status_code == 302 and logged_in(client), url
        client.logout()


def test_many_successful_logins_from_one_address_never_count(client, org_a):
    staff = [factories.member(org_a, "workgroup", email=f"wg{i}@example.org") for i in range(12)]
    for round_ in range(3):  # 36 successes, more than the address limit
        for user in staff:
            response = login(client, SITE_LOGIN, user.email, factories.PASSWORD, OFFICE)
            assert response.status_code == 302, (round_, user.email)
            client.logout()
    # and a few typos in between still leave the address well clear of the limit
    spray(client, SITE_LOGIN, OFFICE, times=3)
    assert login(client, CMS_LOGIN, staff[0].email, factories.PASSWORD, OFFICE).status_code == 302


def test_a_success_does_not_clear_the_address_count(client, people):
    spray(client, SITE_LOGIN, times=ADDRESS_FAILURE_LIMIT - 1)
    assert (
        login(client, SITE_LOGIN, people["director_a"].email, factories.PASSWORD).status_code == 302
    )
    client.logout()
    assert spray(client, SITE_LOGIN, times=1)[0].status_code == 429


def test_the_per_account_lockout_still_comes_first(client, people, settings):
    email = people["director_a"].email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, SITE_LOGIN, email, "wrong")
    response = login(client, CMS_LOGIN, email, factories.PASSWORD)
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    with translation.override("en"):
        response = login(client, "/en/login/", email, factories.PASSWORD)
    assert "The password was wrong 5 times" in response.content.decode()  # the account's lock
    # ... while another account from that address still logs in
    assert (
        login(client, SITE_LOGIN, people["director_b"].email, factories.PASSWORD).status_code == 302
    )


def test_a_spoofed_forwarded_for_neither_evades_nor_frames(client, people):
    # Without a trusted proxy the header is ignored: changing it per attempt does not help ...
    for i in range(ADDRESS_FAILURE_LIMIT):
        login(client, SITE_LOGIN, f"s{i}@example.org", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = login(
        client,
        SITE_LOGIN,
        people["director_a"].email,
        factories.PASSWORD,
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert response.status_code == 429
    # ... and the addresses it named (an office's, say) were not locked by it.
    response = login(client, SITE_LOGIN, people["director_a"].email, factories.PASSWORD, OFFICE)
    assert response.status_code == 302


@override_settings(KLANTRAAT_TRUSTED_PROXIES=[f"{PROXY}/32"])
def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, people):
    spray(client, SITE_LOGIN, remote=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = login(
        client,
        SITE_LOGIN,
        people["director_a"].email,
        factories.PASSWORD,
        PROXY,
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    assert locked.status_code == 429
    # The proxy itself and the other clients behind it are not locked.
    other = login(
        client,
        CMS_LOGIN,
        people["director_a"].email,
        factories.PASSWORD,
        PROXY,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )
    assert other.status_code == 302 and logged_in(client)
    client.logout()
    # A client behind the proxy that writes a false address on the left frames nobody.
    spray(client, SITE_LOGIN, remote=PROXY, HTTP_X_FORWARDED_FOR=f"{OFFICE}, 203.0.113.50")
    framed = login(
        client,
        SITE_LOGIN,
        people["director_b"].email,
        factories.PASSWORD,
        PROXY,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )
    assert framed.status_code == 302
