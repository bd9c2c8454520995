"""honeycomb 0010 and pulse 0010 copy every personal API token and every ingest token into
core's AccessToken and drop the old models: a token that worked still works at its API (and
only there), a revoked or expired one is still refused, and going back restores the old rows."""

import datetime as dt

import pytest
from django.utils import timezone

from core.tokens import new_token, token_digest
from tests.bearer import pulse, results
from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("honeycomb", "0009_remove_reportjob_file"),
    ("pulse", "0009_organisation_in_core"),
    ("core", "0002_access_tokens"),
]


def old_tokens(old_apps, people, org_a):
    """Live, revoked and expired tokens of both old models; the raw tokens by name."""
    ApiToken = old_apps.get_model("honeycomb", "ApiToken")
    IngestToken = old_apps.get_model("pulse", "IngestToken")
    now = timezone.now()
    later, earlier = now + dt.timedelta(days=30), now - dt.timedelta(days=1)
    raw = {name: new_token() for name in ("bi", "bi_revoked", "bi_expired", "sys", "sys_revoked")}
    raw["sys_expired"] = new_token()
    director = people["director_a"]
    for name, revoked, expires in (
        ("bi", None, later),
        ("bi_revoked", earlier, later),
        ("bi_expired", None, earlier),
    ):
        ApiToken.objects.create(
            user_id=director.pk,
            name=name,
            token_hash=token_digest(raw[name]),
            expires_at=expires,
            revoked_at=revoked,
            last_used_at=earlier if name == "bi" else None,
        )
    for name, revoked, expires in (
        ("sys", None, later),
        ("sys_revoked", earlier, later),
        ("sys_expired", None, earlier),
    ):
        IngestToken.objects.create(
            organisation_id=org_a.pk,
            name=name,
            token_hash=token_digest(raw[name]),
            created_by_id=people["coordinator_a"].pk,
            created_at=earlier,
            expires_at=expires,
            revoked_at=revoked,
        )
    rows = {
        t["name"]: t
        for model in (ApiToken, IngestToken)
        for t in model.objects.values(
            "pk", "name", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at"
        )
    }
    return raw, rows


def test_old_tokens_move_into_access_tokens_and_keep_working_where_they_did(client, people, org_a):
    old_apps = migrate(BEFORE)
    try:
        raw, before = old_tokens(old_apps, people, org_a)
    finally:
        new_apps = migrate()
    AccessToken = new_apps.get_model("core", "AccessToken")
    after = {t.name: t for t in AccessToken.objects.all()}
    assert set(after) == set(before)
    for name, old in before.items():
        new = after[name]
        for field in ("token_hash", "created_at", "expires_at", "last_used_at", "revoked_at"):
            assert getattr(new, field) == old[field], (name, field)
        if name.startswith("bi"):
            # personal tokens keep their ids: audit events name the same token
            assert new.pk == old["pk"] and new.scope == "results:read"
            assert new.user_id == new.created_by_id == people["director_a"].pk
            assert new.organisation_id is None
        else:
            assert new.scope == "pulse:events" and new.organisation_id == org_a.pk
            assert new.created_by_id == people["coordinator_a"].pk and new.user_id is None

    assert results(client, raw["bi"]).status_code == 200
    assert pulse(client, raw["sys"]).status_code == 200
    for refused in (pulse(client, raw["bi"]), results(client, raw["sys"])):
        assert refused.status_code == 401
        assert refused.json()["detail"] == "Dit token is onbekend of ingetrokken."
    for refused in (results(client, raw["bi_revoked"]), pulse(client, raw["sys_revoked"])):
        assert refused.json()["detail"] == "Dit token is onbekend of ingetrokken."
    for refused in (results(client, raw["bi_expired"]), pulse(client, raw["sys_expired"])):
        assert refused.status_code == 401
        assert refused.json()["detail"].startswith("Dit token is verlopen op")

    # A token made after the move gets a fresh id, after the copied ones.
    from honeycomb.services import api_token_create

    fresh, _raw = api_token_create(user=people["director_a"], name="nieuw")
    assert fresh.pk > max(t.pk for t in after.values())


def test_going_back_restores_the_old_tokens(people, org_a):
    old_apps = migrate(BEFORE)
    try:
        _raw, before = old_tokens(old_apps, people, org_a)
        migrate()
        old_apps = migrate(BEFORE)
        ApiToken = old_apps.get_model("honeycomb", "ApiToken")
        IngestToken = old_apps.get_model("pulse", "IngestToken")
        fields = ("name", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at")
        back = {
            t["name"]: t
            for model in (ApiToken, IngestToken)
            for t in model.objects.values("pk", *fields)
        }
        assert {n: {f: t[f] for f in fields} for n, t in back.items()} == {
            n: {f: t[f] for f in fields} for n, t in before.items()
        }
        assert {n: t["pk"] for n, t in back.items() if n.startswith("bi")} == {
            n: t["pk"] for n, t in before.items() if n.startswith("bi")
        }
        assert not old_apps.get_model("core", "AccessToken").objects.exists()
    finally:
        migrate()
