"""The database fails in the middle of a step save: nothing is half-written, the respondent is
asked to try again with the typed answers kept, and trying again saves the step.

PostgreSQL: the request's server connection is really terminated (pg_terminate_backend) right
after the answers were inserted and while the step comment is written. SQLite has no server
connection to drop; there the database turns read-only at the same moment, which SQLite
reports the same way (an operational error inside the open transaction).
"""

import contextlib
import html
import re

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from scan import services
from scan.models import Answer, StepComment
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

STEP = "KV1"
TYPED = {
    "respondent_wizard-current_step": STEP,
    "KV1-level__KV1_1": "4",
    "KV1-comment__KV1_1": 'Klanten "merken" het <echt>',
    "KV1-level__KV1_2": "na",
    "KV1-step_comment": "Visie is pas vernieuwd",
}


@contextlib.contextmanager
def database_fails_before(sql_start: str):
    """Break the database at the first statement that starts with `sql_start`."""
    state = {"failed": False}

    def break_database():
        if connection.vendor == "postgresql":
            pid = connection.connection.info.backend_pid
            params = connection.get_connection_params()
            keep = ("host", "port", "user", "password", "dbname")
            with psycopg.connect(
                **{k: v for k, v in params.items() if k in keep and v}, autocommit=True
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        else:
            connection.connection.execute("PRAGMA query_only = ON")

    def wrapper(execute, sql, params, many, context):
        if not state["failed"] and sql.startswith(sql_start):
            state["failed"] = True
            break_database()
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(wrapper):
            yield state
    finally:
        if connection.vendor == "sqlite" and connection.connection is not None:
            connection.connection.execute("PRAGMA query_only = OFF")


def hidden_fields(page: str) -> dict:
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def test_a_step_interrupted_by_the_database_is_not_half_saved_and_can_be_sent_again(
    client, round_a
):
    respondent = factories.respondent(round_a, kind="staff")
    token = services.respondent_issue_link(respondent)
    services.answers_save(respondent=respondent, answers=[AnswerInput("KP1.1", 2, "eerder")])
    url = reverse("scan_public:respond_step", kwargs={"token": token, "step": STEP})

    with database_fails_before('INSERT INTO "scan_stepcomment"') as fault:
        response = client.post(url, TYPED)

    assert fault["failed"], "the fault was never injected: the step no longer writes comments"
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "nog niet opgeslagen" in page
    # Nothing of the step is stored (the insert before the fault was rolled back) and the
    # answer saved earlier is untouched.
    assert list(Answer.objects.values_list("statement_code", "level", "comment")) == [
        ("KP1.1", 2, "eerder")
    ]
    assert not StepComment.objects.exists()
    # The typed answers come back, escaped, ready to be sent again.
    fields = hidden_fields(page)
    assert fields.pop("csrfmiddlewaretoken")  # a fresh token for the new form
    assert fields == TYPED

    # The database is back: "Try again" posts the same fields and the step is saved whole.
    response = client.post(url, fields)
    assert response.status_code == 302 and response.url.endswith("/KP1/")
    assert dict(Answer.objects.values_list("statement_code", "level")) == {
        "KP1.1": 2,
        "KV1.1": 4,
        "KV1.2": None,
    }
    assert Answer.objects.get(statement_code="KV1.1").comment == 'Klanten "merken" het <echt>'
    assert StepComment.objects.get().comment == "Visie is pas vernieuwd"


def test_a_page_requested_while_the_database_is_down_says_so_without_needing_it(client, round_a):
    respondent = factories.respondent(round_a, kind="staff")
    token = services.respondent_issue_link(respondent)
    url = reverse("scan_public:respond_step", kwargs={"token": token, "step": STEP})
    with database_fails_before("SELECT") as fault:
        response = client.get(url)
    assert fault["failed"]
    if connection.vendor == "sqlite":
        # A read-only SQLite database still answers reads: the page is shown as usual.
        assert response.status_code == 200
    else:
        assert response.status_code == 503
        assert "even niet bereikbaar" in response.content.decode()
    # Once the database is back the page works again.
    assert client.get(url).status_code == 200
