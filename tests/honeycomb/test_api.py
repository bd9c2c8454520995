"""The results API: token auth, membership per organisation, anonymity in every figure."""

import pytest
from django.urls import reverse

from core.models import AccessToken
from honeycomb.services import api_token_create, api_token_revoke
from scan import services
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def answered(scan_round, kind, n, level):
    for _ in range(n):
        r = factories.respondent(scan_round, kind=kind)
        services.answers_save(
            respondent=r,
            answers=[
                AnswerInput(c, level)
                for c in STATEMENTS
                if not (kind == "tenants" and c == "KV1.2")
            ],
        )
        services.respondent_submit(r)


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_stored_hashed_and_can_be_revoked(client, people):
    token, raw = api_token_create(user=people["director_a"], name="Power BI")
    assert raw not in token.token_hash and len(token.token_hash) == 64
    assert client.get("/api/v1/organisations", **auth(raw)).status_code == 200
    api_token_revoke(user=people["director_a"], token_id=token.pk)
    assert client.get("/api/v1/organisations", **auth(raw)).status_code == 401
    assert client.get("/api/v1/organisations").status_code == 401
    assert client.get("/api/v1/organisations", **auth("x" * 43)).status_code == 401


def test_scores_respect_membership_and_threshold(client, people, round_a, round_b):
    answered(round_a, "staff", 5, 4)
    answered(round_a, "tenants", 3, 1)
    _t, raw = api_token_create(user=people["workgroup_a"], name="BI")
    url = f"/api/v1/organisations/alfa/rounds/{round_a.pk}/scores"
    factories.release(round_a)
    rows = client.get(url, **auth(raw)).json()
    staff = [r for r in rows if r["group"] == "staff"]
    tenants = [r for r in rows if r["group"] == "tenants"]
    assert {r["mean"] for r in staff} == {4.0}
    assert all(
        r["suppressed"] and r["mean"] is None and r["n_respondents"] is None for r in tenants
    )
    domains = client.get(url + "?level=domain&group=staff", **auth(raw)).json()
    assert [r["code"] for r in domains] == ["KV", "KP"]
    assert (
        client.get(
            f"/api/v1/organisations/beta/rounds/{round_b.pk}/scores", **auth(raw)
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/organisations/alfa/rounds/{round_b.pk}/scores", **auth(raw)
        ).status_code
        == 404
    )
    assert client.get(url + "?group=aliens", **auth(raw)).status_code == 404


def test_rounds_gaps_and_schema(client, people, round_a):
    _t, raw = api_token_create(user=people["consultant_a"], name="BI")
    rounds = client.get("/api/v1/organisations/alfa/rounds", **auth(raw)).json()
    assert [r["id"] for r in rounds] == [round_a.pk]
    gaps = client.get(f"/api/v1/organisations/alfa/rounds/{round_a.pk}/gaps", **auth(raw))
    assert gaps.status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organisations/{slug}/rounds/{round_id}/scores" in schema["paths"]
    orgs = client.get("/api/v1/organisations", **auth(raw)).json()
    assert [o["slug"] for o in orgs] == ["alfa"]


def test_token_page_shows_a_new_token_once(client, people):
    client.force_login(people["director_a"])
    response = client.post(reverse("cms:api_tokens"), {"name": "Power BI"})
    raw = response.context["created"]
    assert raw and AccessToken.objects.get(user=people["director_a"]).name == "Power BI"
    assert raw not in client.get(reverse("cms:api_tokens")).content.decode()
