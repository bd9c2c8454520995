"""Sign-in through an organisation's identity provider: the rule (the provider proves who,
Klantraat's membership decides), the configuration, and the pages around it. The whole flow
against a real provider is in tests/e2e/test_sso.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Membership, Role
from sso.models import IdentityProvider
from sso.services import Refusal, sso_decide
from tests import factories

pytestmark = pytest.mark.django_db

ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"


@pytest.fixture
def provider(org_a):
    return IdentityProvider.objects.create(
        organisation=org_a,
        issuer=ISSUER,
        client_id="client-id",
        secret_variable="KLANTRAAT_OIDC_SECRET_ALFA",
        email_domains="alfa.nl, Alfa-Wonen.nl",
    )


@pytest.fixture
def discovered():
    """The provider's discovery document, as the cache holds it after the first fetch."""
    cache.set(
        "oidc-discovery:" + ISSUER,
        {
            "issuer": ISSUER,
            "authorization_endpoint": "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/authorize",
            "token_endpoint": "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token",
            "jwks_uri": "https://login.microsoftonline.com/tenant-id/discovery/v2.0/keys",
            "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        },
    )


def test_a_member_of_the_organisation_is_let_in(provider, org_a):
    user = factories.member(org_a, Role.DIRECTOR, email="dir@alfa.nl")
    decision = sso_decide(provider=provider, claims={"email": "DIR@alfa.nl"})
    assert decision.user == user and decision.refusal is None


def test_entra_ids_preferred_username_counts_when_email_is_absent(provider, org_a):
    user = factories.member(org_a, Role.COORDINATOR, email="co@alfa-wonen.nl")
    decision = sso_decide(provider=provider, claims={"preferred_username": "co@alfa-wonen.nl"})
    assert decision.user == user


@pytest.mark.parametrize(
    ("claims", "refusal"),
    [
        ({}, Refusal.NO_EMAIL),
        ({"email": "dir@alfa.nl", "email_verified": False}, Refusal.NO_EMAIL),
        ({"email": "someone@elders.nl"}, Refusal.DOMAIN),
        ({"email": "new@alfa.nl"}, Refusal.NO_ACCESS),  # no account: none is made
        ({"email": "other@alfa.nl"}, Refusal.NO_ACCESS),  # an account, no role here
        ({"email": "gone@alfa.nl"}, Refusal.NO_ACCESS),  # deactivated
        ({"email": "fake@alfa.nl"}, Refusal.NO_ACCESS),  # consultant role, not staff
    ],
)
def test_everyone_else_is_refused_with_a_reason(provider, org_a, org_b, claims, refusal):
    factories.member(org_b, Role.DIRECTOR, email="other@alfa.nl")
    factories.member(org_a, Role.DIRECTOR, email="gone@alfa.nl", is_active=False)
    fake = factories.UserFactory(email="fake@alfa.nl", is_staff=False)
    Membership.objects.create(user=fake, organisation=org_a, role=Role.CONSULTANT)
    decision = sso_decide(provider=provider, claims=claims)
    assert decision.user is None and decision.refusal == refusal


def test_a_domain_belongs_to_one_provider(provider, org_b):
    other = IdentityProvider(
        organisation=org_b,
        issuer=ISSUER,
        client_id="x",
        secret_variable="KLANTRAAT_OIDC_SECRET_BETA",
        email_domains="beta.nl,alfa.nl",
    )
    with pytest.raises(ValidationError, match="alfa.nl"):
        other.full_clean()
    other.email_domains, other.secret_variable = "beta.nl", "NOT-A-NAME;rm"
    with pytest.raises(ValidationError):
        other.full_clean()


def test_the_secret_comes_from_the_environment(provider, monkeypatch):
    assert provider.client_secret == ""
    monkeypatch.setenv("KLANTRAAT_OIDC_SECRET_ALFA", "s3cret")
    assert provider.client_secret == "s3cret"


def test_login_pages_offer_sso_only_once_an_organisation_has_it(client):
    page = client.get(reverse("cms:login"))
    assert "sso-email" not in page.content.decode()
    assert "login.microsoftonline.com" not in page["Content-Security-Policy"]


def test_the_login_page_offers_sso_and_lets_its_form_reach_the_provider(client, provider):
    page = client.get(reverse("cms:login"))
    assert 'id="sso-email"' in page.content.decode()
    assert "form-action 'self' https://login.microsoftonline.com" in page["Content-Security-Policy"]
    english = client.get("/en/login/").content.decode()
    assert "Log in with your organisation" in english and 'id="sso-email"' in english
    wagtail = client.get("/cms/login/").content.decode()
    assert "Inloggen met het account van je organisatie" in wagtail


def test_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(
    client, provider, discovered
):
    response = client.get(reverse("sso:start"), {"email": "dir@alfa.nl", "next": "/start/"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert target.netloc == "login.microsoftonline.com"
    assert query["client_id"] == "client-id" and query["login_hint"] == "dir@alfa.nl"
    assert query["redirect_uri"] == "http://testserver/sso/callback/"
    assert query["code_challenge_method"] == "S256" and query["nonce"]
    assert client.session["oidc_states"][query["state"]]["provider"] == provider.pk
    assert client.session["oidc_login_next"] == "/start/"


def test_an_address_without_a_provider_goes_back_to_the_password_login(client, provider):
    response = client.get(reverse("sso:start"), {"email": "ann@elders.nl"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cms:login")
    assert "Voor dit adres is geen organisatie-account ingesteld" in response.content.decode()


def test_an_unreachable_provider_is_said_plainly(client, org_a):
    IdentityProvider.objects.create(
        organisation=org_a,
        issuer="http://127.0.0.1:9/unreachable",
        client_id="c",
        secret_variable="S",
        email_domains="alfa.nl",
    )
    response = client.get(reverse("sso:start"), {"email": "dir@alfa.nl"}, follow=True)
    assert "niet bereikbaar" in response.content.decode()


def test_a_callback_without_a_known_state_changes_nothing(client, provider):
    response = client.get(reverse("sso:callback"), {"code": "abc", "state": "forged"})
    assert response.status_code == 400
    assert "Inloggen is niet gelukt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_logins_still_work_beside_sso(client, provider, org_a):
    user = factories.member(org_a, Role.DIRECTOR, email="dir@alfa.nl")
    response = client.post(
        reverse("cms:login"), {"username": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_a_locked_connection_cannot_sign_in_through_the_provider_either(
    client, provider, discovered
):
    from cms.login_policy import ADDRESS_FAILURE_LIMIT
    from core.models import AuditEvent

    start = client.get(reverse("sso:start"), {"email": "dir@alfa.nl"})
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    for _ in range(ADDRESS_FAILURE_LIMIT):  # password spraying from this connection
        client.post(reverse("cms:login"), {"username": "x@alfa.nl", "password": "wrong"})
    # django-axes refuses before the provider is asked for the code's tokens.
    response = client.get(reverse("sso:callback"), {"code": "abc", "state": state})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(kind="login").exists()
