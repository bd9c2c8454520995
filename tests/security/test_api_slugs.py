"""The results API answers an organisation that does not exist exactly as one that is not the
caller's: same status, body and headers, and the same database work (no timing difference)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from honeycomb.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask(client, people):
    token = api_token_create(user=people["coordinator_b"], name="bi")[1]

    def ask(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        return response, len(queries)

    return ask


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations/{}/rounds", "/api/v1/organisations/{}/rounds/{}/scores"]
)
def test_unknown_and_foreign_organisations_get_one_answer(ask, round_a, path):
    ask("/api/v1/organisations")  # the token's first use is noted once: not part of the answer
    foreign, foreign_queries = ask(path.format("alfa", round_a.pk))
    unknown, unknown_queries = ask(path.format("bestaat-niet", round_a.pk))
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content
    # Expires is the moment of the answer (no-store): it may tick over between the two.
    assert {k: v for k, v in foreign.headers.items() if k != "Expires"} == {
        k: v for k, v in unknown.headers.items() if k != "Expires"
    }
    assert foreign_queries == unknown_queries


def test_a_member_still_reads_their_own_rounds(ask, round_b):
    response, _queries = ask("/api/v1/organisations/beta/rounds")
    assert response.status_code == 200 and response.json()[0]["id"] == round_b.pk
