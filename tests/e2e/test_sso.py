"""Signing in through a real OpenID Connect provider started on this machine
(django-oauth-toolkit, tests/oidc_provider), in Chromium: the way Entra ID is used."""

from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from django.contrib.sessions.backends.db import SessionStore

from cms.models import User
from core.models import AuditEvent, Membership, Role
from sso.models import IdentityProvider
from tests import factories
from tests.sso_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    CODE_SECONDS,
    SECRET_VARIABLE,
    identity_provider,
)

from .test_accessibility import violations

pytestmark = pytest.mark.django_db(transaction=True)

IDP_USERS = ["ann@linde.nl", "bob@linde.nl", "carol@linde.nl", "eve@elders.nl"]


@pytest.fixture
def provider(live_server, monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    with identity_provider(live_server.url + "/sso/callback/", IDP_USERS) as issuer:
        linde = factories.OrganisationFactory(name="Woonstichting De Linde", slug="linde")
        factories.member(linde, Role.COORDINATOR, email="ann@linde.nl")
        factories.UserFactory(email="bob@linde.nl")  # an account, but no role at De Linde
        IdentityProvider.objects.create(
            organisation=linde,
            name="Microsoft",
            issuer=issuer,
            client_id=CLIENT_ID,
            secret_variable=SECRET_VARIABLE,
            email_domains="linde.nl",
        )
        yield linde


def start(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#sso-email", email)
    page.click("text=Verder met het account van je organisatie")


def sign_in_at_provider(page, account: str) -> None:
    page.wait_for_selector("#idp-login")
    page.fill("#id_username", account)
    page.fill("#id_password", "idp-password")
    page.click("#idp-login")


def hold_callback(page) -> list[str]:
    """Sign in at the provider, but stop before the browser returns to Klantraat: the provider's
    answer (the callback URL with code and state) is kept for the test to send, changed or late.
    The provider's redirects are followed with the browser context's own cookies."""
    held: list[str] = []

    def handle(route):
        if route.request.method != "POST":
            return route.continue_()
        url = route.request.url
        for _ in range(3):  # login → authorize → Klantraat's callback
            response = (
                route.fetch(max_redirects=0)
                if url == route.request.url
                else page.context.request.get(url, max_redirects=0)
            )
            url = urljoin(url, response.headers["location"])
            if "/sso/callback/" in url:
                break
        held.append(url)
        route.fulfill(status=200, body="held", content_type="text/plain")

    page.route(lambda url: "/login/" in url and "127.0.0.1" in url, handle)
    return held


def test_a_member_signs_in_through_the_provider_and_logs_out(live_server, new_page, provider):
    page = new_page()
    start(page, live_server, "ann@linde.nl")
    sign_in_at_provider(page, "ann@linde.nl")
    page.wait_for_url("**/start/**")
    page.goto(f"{live_server.url}/org/linde/")
    assert page.locator("h1").first.inner_text()
    login = AuditEvent.objects.filter(kind="login").get()
    assert login.actor.email == "ann@linde.nl" and login.detail == {"via": "sso"}
    # Logging out ends the Klantraat session: the organisation's pages ask for a login again.
    page.click("form[action$='/logout/'] button")
    page.goto(f"{live_server.url}/org/linde/")
    assert "/login/" in page.url


def test_an_address_outside_the_allowed_domains_is_refused(live_server, new_page, provider):
    page = new_page()
    start(page, live_server, "ann@linde.nl")
    sign_in_at_provider(page, "eve@elders.nl")  # the provider vouches for another domain
    page.wait_for_selector("text=Dit account kan hier niet inloggen")
    assert "linde.nl" in page.inner_text("main")
    assert not AuditEvent.objects.filter(kind="login").exists()
    failed = AuditEvent.objects.get(kind="login_failed")
    assert failed.detail == {"email": "eve@elders.nl", "via": "sso", "reason": "domain"}


def test_a_colleague_without_a_role_is_sent_to_the_coordinator(live_server, new_page, provider):
    Membership.objects.filter(user__email="ann@linde.nl").delete()  # removed membership
    for account in ("ann@linde.nl", "carol@linde.nl"):  # and someone with no account at all
        page = new_page()
        start(page, live_server, account)
        sign_in_at_provider(page, account)
        page.wait_for_selector("text=Vraag je coördinator om toegang.")
        assert violations(page) == []
        page.goto(f"{live_server.url}/org/linde/")
        assert "/login/" in page.url
    assert not User.objects.filter(email="carol@linde.nl").exists()  # no account is made
    assert not AuditEvent.objects.filter(kind="login").exists()


def test_a_tampered_state_is_refused(live_server, new_page, provider):
    page = new_page()
    held = hold_callback(page)
    start(page, live_server, "ann@linde.nl")
    sign_in_at_provider(page, "ann@linde.nl")
    page.wait_for_selector("text=held")
    url = urlsplit(held[0])
    query = parse_qs(url.query)
    query["state"] = ["forged" + query["state"][0][6:]]
    response = page.goto(url._replace(query=urlencode(query, doseq=True)).geturl())
    assert response.status == 400
    assert "Inloggen is niet gelukt" in page.inner_text("main")
    assert not AuditEvent.objects.filter(kind="login").exists()


def test_a_tampered_nonce_is_refused(live_server, new_page, provider):
    page = new_page()
    held = hold_callback(page)
    start(page, live_server, "ann@linde.nl")
    sign_in_at_provider(page, "ann@linde.nl")
    page.wait_for_selector("text=held")
    # The ID token carries the nonce the browser was given; the session now expects another.
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(key)
    for entry in session["oidc_states"].values():
        entry["nonce"] = "not-the-nonce-that-was-sent"
    session.save()
    response = page.goto(held[0])
    assert response.status == 400
    assert "Inloggen is niet gelukt" in page.inner_text("main")
    assert AuditEvent.objects.filter(kind="login_failed").exists()
    assert not AuditEvent.objects.filter(kind="login").exists()


def test_an_expired_code_is_refused(live_server, new_page, provider):
    page = new_page()
    held = hold_callback(page)
    start(page, live_server, "ann@linde.nl")
    sign_in_at_provider(page, "ann@linde.nl")
    page.wait_for_selector("text=held")
    page.wait_for_timeout((CODE_SECONDS + 2) * 1000)
    response = page.goto(held[0])
    assert response.status == 400
    assert "Inloggen is niet gelukt" in page.inner_text("main")
    assert not AuditEvent.objects.filter(kind="login").exists()
