import datetime as dt

import pytest
from django.utils import timezone

from core.models import AccessToken
from pulse import services
from pulse.models import PulseEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/pulse/events"


def batch(*ids, **overrides):
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    return {
        "events": [
            {
                "source_id": i,
                "moment": "reparatie",
                "date": day,
                "email": f"{i}@example.nl",
                **overrides,
            }
            for i in ids
        ]
    }


@pytest.fixture
def token(org_a, moments):
    return services.ingest_token_create(organisation=org_a, name="Onderhoudssysteem")[1]


def post(client, payload, token):
    return client.post(
        URL, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_events_are_stored_once(client, token, org_a):
    first = post(client, batch("A1", "A2"), token)
    assert first.status_code == 200 and first.json()["created"] == 2
    again = post(client, batch("A1", "A2"), token)
    assert again.json() == {
        "created": 0,
        "already_received": 2,
        "invitations": 0,
        "skipped_recently_asked": 0,
    }
    assert PulseEvent.objects.filter(organisation=org_a).count() == 2


def test_malformed_events_get_a_400_naming_the_field(client, token):
    response = post(client, batch("A1", "A2", date="31-02-2026"), token)
    assert response.status_code == 400
    assert any(" date " in p for p in response.json()["problems"])  # "veld date" / "field date"
    missing = post(client, {"events": [{"moment": "reparatie"}]}, token)
    assert missing.status_code in (400, 422)
    assert PulseEvent.objects.count() == 0


def test_without_a_valid_token_nothing_is_stored(client, token, org_a):
    assert post(client, batch("A1"), "x" * 43).status_code == 401
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert post(client, batch("A1"), token).status_code == 401
    assert PulseEvent.objects.count() == 0
