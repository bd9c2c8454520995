"""Error reporting to Sentry: events leave without respondent and other secret tokens.

Sentry is started for real with a DSN and a transport that keeps the envelopes it would send
(no network); a view then fails on a respondent link and the captured envelope is searched for
the secrets."""

import logging
import re
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from cms.error_reporting import FILTERED, before_breadcrumb, before_send, init_sentry, scrub_text

TOKEN = "Zq8xSecretRespondentToken"
UID = "MTIzNDU"
API_TOKEN = "kr_ApiBearerSecret"
SESSION = "sessionSecretValue"


class CaptureTransport(Transport):
    """Keeps every envelope instead of sending it."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def sentry_transport():
    transport = CaptureTransport()
    init_sentry("https://public@sentry.example.invalid/1", transport=transport)
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        for scope in (sentry_sdk.get_isolation_scope(), sentry_sdk.get_current_scope()):
            scope.clear()
    assert not sentry_sdk.get_client().is_active()


def _secret_routes(resolver=None, prefix="", namespace=""):
    """(URL name, route) of every URL whose route holds a token: all the secret links."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _secret_routes(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and "token>" in str(pattern.pattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def _example_path(name: str, route: str) -> str:
    values = {"token": TOKEN, "uidb64": UID, "step": "intro", "org": "woonstichting-de-linde"}
    kwargs = {key: values.get(key, "1") for key in re.findall(r"<(?:\w+:)?(\w+)>", route)}
    return reverse(name, kwargs=kwargs)


def test_every_secret_link_of_the_site_is_scrubbed_and_the_rest_kept():
    routes = dict(_secret_routes())
    # The site's secret links: respondent, open link (+ QR), welcome, pulse survey and card,
    # the site's and Wagtail's password reset.
    assert {
        "scan_public:respond",
        "scan_public:respond_step",
        "scan_public:open_link",
        "scan_public:open_link_qr",
        "scan_public:welcome",
        "pulse_public:survey",
        "pulse_public:card_survey",
        "cms:password_reset_confirm",
        "wagtailadmin_password_reset_confirm",
    } <= set(routes)
    for language in ("nl", "en"):
        with translation.override(language):
            for name, route in routes.items():
                path = _example_path(name, route)
                url = f"https://klantraat.example.nl{path}?lang=nl"
                scrubbed = scrub_text(url)
                assert TOKEN not in scrubbed and UID not in scrubbed, (name, scrubbed)
                expected = path.replace(TOKEN, FILTERED).replace(UID, FILTERED)
                assert scrubbed == f"https://klantraat.example.nl{expected}?lang=nl", name


@pytest.mark.parametrize(
    "text",
    [
        "/org/woonstichting-de-linde/rounds/3/results/",
        "/password/reset/",
        "/password/reset/done/",
        "/cms/password_reset/complete/",
        "/partner/",
        "/account/api-tokens/",
        "/api/v1/rounds/3/results?group=tenants",
        "/r/{token}/{step}/",
        "Internal Server Error: /org/x/people/",
    ],
)
def test_paths_without_secrets_stay_as_they_are(text):
    assert scrub_text(text) == text


def test_secret_query_values_and_set_password_step():
    assert scrub_text(f"/r/x/?token={TOKEN}&lang=en") == f"/r/{FILTERED}/?token={FILTERED}&lang=en"
    assert scrub_text(f"token={TOKEN}") == f"token={FILTERED}"
    assert scrub_text(f"/password/reset/{UID}/set-password/") == (
        f"/password/reset/{FILTERED}/set-password/"
    )
    assert scrub_text(f"Not Found: /en/p/{TOKEN}/") == f"Not Found: /en/p/{FILTERED}/"


def test_hooks_filter_headers_cookies_breadcrumbs_and_transactions():
    event = {
        "transaction": f"/k/{TOKEN}/",
        "request": {
            "url": f"https://klantraat.example.nl/welcome/{UID}/{TOKEN}/",
            "query_string": f"token={TOKEN}",
            "headers": {"Authorization": f"Bearer {API_TOKEN}", "Cookie": f"sessionid={SESSION}"},
            "cookies": {"sessionid": SESSION},
            "data": {"answer": "secret"},
        },
        "extra": {"kwargs": {"token": TOKEN}},
    }
    scrubbed = before_send(event, {})
    assert all(secret not in repr(scrubbed) for secret in (TOKEN, UID, API_TOKEN, SESSION))
    assert scrubbed["request"]["url"] == (
        f"https://klantraat.example.nl/welcome/{FILTERED}/{FILTERED}/"
    )
    assert "data" not in scrubbed["request"] and "cookies" not in scrubbed["request"]
    crumb = {"category": "httplib", "data": {"url": f"https://x.example/l/{TOKEN}/qr.svg"}}
    assert before_breadcrumb(crumb, {})["data"]["url"] == f"https://x.example/l/{FILTERED}/qr.svg"
    headers = before_send({"request": {"headers": [["Authorization", f"Bearer {API_TOKEN}"]]}}, {})
    assert headers["request"]["headers"] == [["Authorization", FILTERED]]


def _wsgi_get(path: str, query: str, **headers: str) -> str:
    """GET through Django's WSGI handler, as gunicorn calls it; returns the status line."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, **headers}
    setup_testing_defaults(environ)
    statuses = []
    # As Django's test client does: the test's transaction keeps its connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(
            environ, lambda status, headers, exc_info=None: statuses.append(status)
        )
        b"".join(body)
        body.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return statuses[0]


@pytest.mark.django_db
def test_a_failing_respondent_link_reaches_sentry_without_the_token(sentry_transport, monkeypatch):
    from scan import services

    def broken_lookup(token):
        # What happens during the request becomes breadcrumbs: a log line, an outgoing call.
        logging.getLogger("scan").warning("Opening /r/%s/intro/", token)
        sentry_sdk.add_breadcrumb(category="httplib", data={"url": f"https://x.example/p/{token}/"})
        raise RuntimeError(f"lookup of /r/{token}/ failed")

    monkeypatch.setattr(services, "respondent_for_token", broken_lookup)
    path = reverse("scan_public:respond_step", kwargs={"token": TOKEN, "step": "intro"})

    status = _wsgi_get(
        path,
        f"token={TOKEN}&lang=nl",
        HTTP_AUTHORIZATION=f"Bearer {API_TOKEN}",
        HTTP_COOKIE=f"sessionid={SESSION}",
    )

    assert status.startswith("500")
    events = [
        item.get_event()
        for envelope in sentry_transport.envelopes
        for item in envelope.items
        if item.get_event() is not None
    ]
    errors = [e for e in events if e.get("exception")]
    assert len(errors) == 1, events
    raw = b"".join(envelope.serialize() for envelope in sentry_transport.envelopes)
    for secret in (TOKEN, API_TOKEN, SESSION):
        assert secret.encode() not in raw
    event = errors[0]
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == f"lookup of /r/{FILTERED}/ failed"
    request = event["request"]
    assert request["url"] == f"http://127.0.0.1/r/{FILTERED}/intro/"
    assert request["query_string"] == f"token={FILTERED}&lang=nl"
    assert request["method"] == "GET"
    assert request["headers"]["Host"] == "127.0.0.1"
    assert request["headers"].get("Authorization") in (None, FILTERED)
    assert request["headers"].get("Cookie") in (None, FILTERED)
    assert event["transaction"] == "/r/{token}/{step}/"
    messages = [crumb.get("message") or "" for crumb in event["breadcrumbs"]["values"]]
    assert f"Opening /r/{FILTERED}/intro/" in messages
    urls = [crumb.get("data", {}).get("url") for crumb in event["breadcrumbs"]["values"]]
    assert f"https://x.example/p/{FILTERED}/" in urls
    # Local variables (answers, names) are not sent at all.
    frames = exception["stacktrace"]["frames"]
    assert frames and not any(frame.get("vars") for frame in frames)


def test_django_and_celery_errors_are_reported_without_personal_data(sentry_transport):
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    client = sentry_sdk.get_client()
    assert client.get_integration(DjangoIntegration) is not None
    assert client.get_integration(CeleryIntegration) is not None
    assert client.options["send_default_pii"] is False
    assert client.options["include_local_variables"] is False
    assert client.options["max_request_body_size"] == "never"


def test_a_failing_celery_task_is_reported_without_the_token(sentry_transport):
    from cms.celery import app

    @app.task(name="tests.failing_survey_task")
    def failing_survey_task(survey_id: int, token: str) -> None:
        raise RuntimeError(f"could not send /p/{token}/ for survey {survey_id}")

    try:
        result = failing_survey_task.apply(args=(7,), kwargs={"token": TOKEN}, throw=False)
    finally:
        app.tasks.unregister("tests.failing_survey_task")

    assert result.failed()
    errors = [
        item.get_event()
        for envelope in sentry_transport.envelopes
        for item in envelope.items
        if item.get_event() is not None and item.get_event().get("exception")
    ]
    assert len(errors) == 1
    raw = b"".join(envelope.serialize() for envelope in sentry_transport.envelopes)
    assert TOKEN.encode() not in raw
    event = errors[0]
    assert event["exception"]["values"][-1]["value"] == (
        f"could not send /p/{FILTERED}/ for survey 7"
    )
    job = event["extra"]["celery-job"]
    assert job["task_name"] == "tests.failing_survey_task"
    assert job["args"] == job["kwargs"] == FILTERED  # task arguments are not sent


def test_no_dsn_no_reporting():
    assert not sentry_sdk.get_client().is_active()
