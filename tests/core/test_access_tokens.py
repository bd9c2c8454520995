"""One token model with scopes: each API accepts only its own scope, the owner of a token fits
its scope (in the model and in the database), and revoking stays within what one may manage."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AccessToken, AuditEvent, TokenScope
from core.services.tokens import token_create, token_revoke, tokens_of_user
from honeycomb.services import api_token_create
from pulse.services import ingest_token_create
from tests.bearer import pulse, results

pytestmark = pytest.mark.django_db

UNKNOWN = "Dit token is onbekend of ingetrokken."


def test_each_api_refuses_the_other_scope_as_an_unknown_token(client, people, org_a):
    personal, personal_raw = api_token_create(user=people["director_a"], name="Power BI")
    system, system_raw = ingest_token_create(organisation=org_a, name="Onderhoudssysteem")
    assert personal.scope == TokenScope.RESULTS_READ and system.scope == TokenScope.PULSE_EVENTS

    assert results(client, personal_raw).status_code == 200
    assert pulse(client, system_raw).status_code == 200

    refused = results(client, system_raw)
    assert refused.status_code == 401 and refused.json()["detail"] == UNKNOWN
    refused = pulse(client, personal_raw)
    assert refused.status_code == 401 and refused.json()["detail"] == UNKNOWN
    # a refused token is not marked as used
    system.refresh_from_db()
    personal.refresh_from_db()
    assert personal.last_used_at is not None and system.last_used_at is not None
    AccessToken.objects.update(last_used_at=None)
    results(client, system_raw)
    pulse(client, personal_raw)
    assert not AccessToken.objects.filter(last_used_at__isnull=False).exists()


def test_the_owner_fits_the_scope(people, org_a):
    with pytest.raises(ValidationError):
        token_create(scope=TokenScope.RESULTS_READ, name="x", organisation=org_a)
    with pytest.raises(ValidationError):
        token_create(scope=TokenScope.PULSE_EVENTS, name="x", user=people["director_a"])
    with pytest.raises(ValidationError):
        token_create(
            scope=TokenScope.PULSE_EVENTS, name="x", user=people["director_a"], organisation=org_a
        )
    later = timezone.now() + dt.timedelta(days=1)
    for owner in ({"organisation": org_a}, {"user": people["director_a"], "organisation": org_a}):
        with pytest.raises(IntegrityError), transaction.atomic():
            AccessToken.objects.create(
                scope=TokenScope.RESULTS_READ, token_hash="a" * 64, expires_at=later, **owner
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessToken.objects.create(
            scope="admin:all", token_hash="b" * 64, expires_at=later, user=people["director_a"]
        )
    assert not AccessToken.objects.exists()


def test_names_lose_control_characters_and_creating_is_audited(people, org_a):
    token, _raw = ingest_token_create(
        organisation=org_a, name=" Systeem\x00\x07 ", user=people["coordinator_a"]
    )
    assert token.name == "Systeem" and token.created_by == people["coordinator_a"]
    event = AuditEvent.objects.get(kind="token_created")
    assert event.organisation == org_a and event.actor == people["coordinator_a"]
    assert event.detail == {"token": str(token.pk)}


def test_listing_and_revoking_stay_within_scope_and_owner(people, org_a, org_b):
    own, _raw = api_token_create(user=people["director_a"], name="Eigen")
    other, _raw = api_token_create(user=people["director_b"], name="Ander")
    system_a, _raw = ingest_token_create(organisation=org_a, name="Systeem A")
    system_b, _raw = ingest_token_create(organisation=org_b, name="Systeem B")

    mine = tokens_of_user(people["director_a"], TokenScope.RESULTS_READ)
    assert list(mine) == [own]
    pulse_a = AccessToken.objects.for_scope(TokenScope.PULSE_EVENTS).filter(organisation=org_a)
    assert list(pulse_a) == [system_a]
    assert not tokens_of_user(people["director_a"], TokenScope.PULSE_EVENTS).exists()

    for token in (other, system_a, system_b):
        assert token_revoke(tokens=mine, token_id=token.pk, actor=people["director_a"]) is None
    assert not AccessToken.objects.filter(revoked_at__isnull=False).exists()
    assert token_revoke(tokens=mine, token_id=own.pk, actor=people["director_a"]) == own
    # twice is once: no second audit event
    assert token_revoke(tokens=mine, token_id=own.pk, actor=people["director_a"]) is None
    assert AuditEvent.objects.filter(kind="token_revoked").count() == 1

    revoked = token_revoke(
        tokens=pulse_a, token_id=system_a.pk, actor=people["coordinator_a"], organisation=org_a
    )
    assert revoked == system_a
    assert set(AccessToken.objects.filter(revoked_at__isnull=False)) == {own, system_a}
