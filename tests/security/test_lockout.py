"""One login policy for the site's /login/ and Wagtail's /cms/login/ (django-axes), the client
address behind trusted proxies only, and reset mails limited on both reset forms."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from core import ratelimit
from scan import services
from tests import factories

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/login/"
CMS_LOGIN = "/cms/login/"
OFFICE = "192.0.2.10"


def login(client, url: str, email: str, password: str, **extra):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=OFFICE, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, url: str, email: str, times: int = 5, **extra) -> None:
    for _ in range(times):
        login(client, url, email, "wrong", **extra)


def test_site_login_is_the_named_url():
    assert reverse("cms:login") == SITE_LOGIN


@pytest.mark.parametrize(("fail_on", "then_on"), [(CMS_LOGIN, SITE_LOGIN), (SITE_LOGIN, CMS_LOGIN)])
def test_failures_on_one_login_form_lock_the_other(client, people, fail_on, then_on):
    consultant = people["consultant_a"]
    fail(client, fail_on, consultant.email)
    for url in (then_on, fail_on):  # the right password is refused on both while locked
        response = login(client, url, consultant.email, factories.PASSWORD)
        assert response.status_code == 429
        assert not logged_in(client)


def test_the_lockout_page_says_what_happened_in_both_languages(client, people):
    email = people["director_a"].email
    fail(client, SITE_LOGIN, email)
    response = login(client, SITE_LOGIN, email, factories.PASSWORD)
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    assert "15 minuten" in response.content.decode()
    with translation.override("en"):
        response = login(client, "/en/login/", email, factories.PASSWORD)
    assert response.status_code == 429
    assert "Login locked for a while" in response.content.decode()


def test_the_lock_holds_whatever_the_case_of_the_address(client, people):
    email = people["director_a"].email
    fail(client, SITE_LOGIN, email.upper())
    assert login(client, CMS_LOGIN, f" {email} ", factories.PASSWORD).status_code == 429
    assert not logged_in(client)


def _page(response) -> str:
    """The page without what differs on every response (CSRF token, CSP nonces)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'nonce="[^"]*"', "", page)


def test_locked_and_unknown_accounts_answer_alike(client, people):
    fail(client, SITE_LOGIN, people["director_a"].email)
    fail(client, SITE_LOGIN, "ghost@example.org")
    real = login(client, SITE_LOGIN, people["director_a"].email, factories.PASSWORD)
    ghost = login(client, SITE_LOGIN, "ghost@example.org", "wrong")
    assert real.status_code == ghost.status_code == 429
    assert _page(real) == _page(ghost)


def test_another_user_from_the_same_address_is_not_locked(client, people):
    fail(client, SITE_LOGIN, people["director_a"].email, times=12)
    response = login(client, SITE_LOGIN, people["director_b"].email, factories.PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_successful_logins_from_one_address_are_never_refused(client, people, org_a):
    staff = [factories.member(org_a, "workgroup", email=f"wg{i}@example.org") for i in range(8)]
    for round_ in range(6):  # 48 logins in a row from one office address
        for user in staff:
            response = login(client, SITE_LOGIN, user.email, factories.PASSWORD)
            assert response.status_code == 302, (round_, user.email)
            client.logout()


def test_a_success_clears_earlier_failures(client, people):
    email = people["director_a"].email
    fail(client, SITE_LOGIN, email, times=4)
    assert login(client, SITE_LOGIN, email, factories.PASSWORD).status_code == 302
    client.logout()
    fail(client, SITE_LOGIN, email, times=4)
    assert login(client, SITE_LOGIN, email, factories.PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_does_not_escape_the_lock(client, people):
    email = people["director_a"].email
    for i in range(5):
        login(client, SITE_LOGIN, email, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = login(
        client, SITE_LOGIN, email, factories.PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert response.status_code == 429 and not logged_in(client)


@override_settings(KLANTRAAT_TRUSTED_PROXIES=["192.0.2.0/28"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, people):
    email = people["director_a"].email
    fail(client, SITE_LOGIN, email, HTTP_X_FORWARDED_FOR="203.0.113.7")
    locked = login(
        client, SITE_LOGIN, email, factories.PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    elsewhere = login(
        client, SITE_LOGIN, email, factories.PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert elsewhere.status_code == 302 and logged_in(client)


def _ip(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return ratelimit.client_ip(RequestFactory().get("/", **meta))


def test_client_ip_ignores_forwarded_for_without_a_trusted_proxy():
    assert _ip("198.51.100.1", "203.0.113.5") == "198.51.100.1"
    assert _ip("", "203.0.113.5") == ratelimit.UNKNOWN_IP


@override_settings(KLANTRAAT_TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::1"])
def test_client_ip_walks_past_trusted_proxies_only():
    # The client's own claim (left) is not believed: the rightmost untrusted hop is the client.
    assert _ip("10.0.0.2", "6.6.6.6, 203.0.113.5") == "203.0.113.5"
    assert _ip("10.0.0.2", "203.0.113.5, 10.1.2.3") == "203.0.113.5"
    assert _ip("2001:db8::1", "203.0.113.9") == "203.0.113.9"
    assert _ip("10.0.0.2", "") == "10.0.0.2"
    assert _ip("10.0.0.2", "not-an-ip") == "10.0.0.2"  # garbage stops the walk
    assert _ip("198.51.100.1", "203.0.113.5") == "198.51.100.1"  # not a trusted proxy


def test_cms_password_reset_sends_at_most_three_mails(
    client, people, django_capture_on_commit_callbacks
):
    email = people["consultant_a"].email
    with django_capture_on_commit_callbacks(execute=True):  # mails leave after commit
        responses = [client.post("/cms/password_reset/", {"email": email}) for _ in range(15)]
    assert {r.status_code for r in responses} == {302}  # the page never tells
    assert len(mail.outbox) == 3


def test_both_reset_forms_share_one_limit(client, people, django_capture_on_commit_callbacks):
    email = people["consultant_a"].email
    with django_capture_on_commit_callbacks(execute=True):  # mails leave after commit
        for _ in range(2):
            client.post("/cms/password_reset/", {"email": email})
            client.post(reverse("cms:password_reset"), {"email": email})
    assert len(mail.outbox) == 3


def test_bad_respondent_links_do_not_block_a_valid_link(client, round_a):
    token = services.respondent_issue_link(factories.respondent(round_a))
    for i in range(25):
        client.get(f"/r/{'x' * 40}{i:03d}/", REMOTE_ADDR=OFFICE)
    assert client.get(f"/r/{'x' * 40}999/", REMOTE_ADDR=OFFICE).status_code == 429
    assert client.get(f"/r/{token}/", REMOTE_ADDR=OFFICE).status_code == 302
