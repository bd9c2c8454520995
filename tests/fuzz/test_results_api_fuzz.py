"""Fuzzing the results API with schemathesis: every operation of /api/v1/openapi.json, with
generated path and query values, as a member with a token. Fails on any 5xx.

Bounded: KLANTRAAT_FUZZ_EXAMPLES examples per operation (a few in the normal suite; `make fuzz`
runs many more)."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from honeycomb.services import api_token_create
from scan import services
from scan.services import AnswerInput
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]  # the test model's statements
EXAMPLES = int(os.environ.get("KLANTRAAT_FUZZ_EXAMPLES", "10"))


@pytest.fixture
def api_world(people, round_a):
    # Enough answers that scores and gaps are computed, not only refused by the threshold.
    for kind, level, n in (("staff", 4, 5), ("tenants", 2, 5)):
        for _ in range(n):
            respondent = factories.respondent(round_a, kind=kind)
            services.answers_save(
                respondent=respondent,
                answers=[
                    AnswerInput(code, level)
                    for code in STATEMENTS
                    if not (kind == "tenants" and code == "KV1.2")  # not asked of tenants
                ],
            )
            services.respondent_submit(respondent)
    _token, raw = api_token_create(user=people["workgroup_a"], name="fuzz")
    return {"token": raw, "slug": round_a.organisation.slug, "round_id": round_a.pk}


@pytest.fixture
def in_process_app():
    """The app called in-process like Django's test client does: the test database must
    outlive each request, so no connection is closed when a request starts or ends."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_input_gives_a_server_error(api_world, in_process_app):
    # The schema is read from the app itself inside the test, so requests see the test
    # database. (schemathesis' pytest integration does not run under pytest 9; Hypothesis
    # drives each operation here instead.)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process_app)
    headers = {"Authorization": f"Bearer {api_world['token']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    _fuzz(operations, headers, api_world)


def _fuzz(operations, headers: dict, api_world: dict) -> None:
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def fuzz(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error], headers=headers)
            # The same generated query against the organisation and round that exist, so the
            # fuzzed values reach the scoring code instead of stopping at a 404.
            if case.path_parameters:
                for name in ("slug", "round_id"):
                    if name in case.path_parameters:
                        case.path_parameters[name] = api_world[name]
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error], headers=headers)

        fuzz()
