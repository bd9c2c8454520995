"""Logs as plain text by default, one JSON object per line with KLANTRAAT_LOG_FORMAT=json."""

import http.client
import io
import json
import logging
import logging.config
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cms.log_format import logging_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_stream():
    """Applies a LOGGING dict with the console handler writing to a string; restores after."""
    stream = io.StringIO()

    def apply(config):
        config["handlers"]["console"]["stream"] = stream
        logging.config.dictConfig(config)
        return stream

    yield apply
    logging.config.dictConfig(settings.LOGGING)


def test_json_lines_carry_time_level_logger_message_request_and_exception(log_stream, rf):
    stream = log_stream(logging_config("json", "INFO"))
    request = RequestFactory().get("/org/woonstichting-de-linde/people/?page=2")

    logging.getLogger("scan.services").info("Invited %d people", 3)
    logging.getLogger("django.request").warning(
        "Not Found: %s", request.path, extra={"status_code": 404, "request": request}
    )
    try:
        raise ValueError("bad cell code")
    except ValueError:
        logging.getLogger("honeycomb").exception("Scoring failed")

    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    info, not_found, failure = (json.loads(line) for line in lines)
    assert info["level"] == "INFO"
    assert info["logger"] == "scan.services"
    assert info["message"] == "Invited 3 people"
    assert info["timestamp"].startswith("20") and info["timestamp"].endswith("+00:00")
    assert not_found["level"] == "WARNING"
    assert not_found["logger"] == "django.request"
    assert not_found["status_code"] == 404
    assert not_found["method"] == "GET"
    assert not_found["path"] == "/org/woonstichting-de-linde/people/"
    assert "request" not in not_found
    assert failure["level"] == "ERROR"
    assert failure["message"] == "Scoring failed"
    assert "Traceback" in failure["exception"]
    assert "ValueError: bad cell code" in failure["exception"]


def test_plain_text_is_the_default(log_stream):
    stream = log_stream(logging_config())
    logging.getLogger("scan.services").warning("Invited %d people", 3)
    line = stream.getvalue().strip()
    assert line.endswith(" WARNING scan.services Invited 3 people")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_an_unknown_format_stops_the_start():
    with pytest.raises(ImproperlyConfigured, match="KLANTRAAT_LOG_FORMAT"):
        logging_config("xml")


def _run_with_settings(log_format: str | None) -> list[str]:
    """Start Django with the development settings (DEBUG on) and log from a real request."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL="sqlite:///:memory:",
        DJANGO_LOG_LEVEL="INFO",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    env.pop("KLANTRAAT_LOG_FORMAT", None)
    if log_format:
        env["KLANTRAAT_LOG_FORMAT"] = log_format
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "Client().post('/jsi18n/');"
        "import logging; logging.getLogger('klantraat.security').info('Login refused')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_the_settings_switch_every_line_to_json():
    lines = _run_with_settings("json")
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    by_logger = {record["logger"]: record for record in records}
    assert by_logger["klantraat.security"]["message"] == "Login refused"
    refused = by_logger["django.request"]
    assert refused["message"] == "Method Not Allowed (POST): /jsi18n/"
    assert refused["status_code"] == 405
    assert (refused["method"], refused["path"]) == ("POST", "/jsi18n/")
    assert refused["level"] == "WARNING"


def test_the_settings_default_to_plain_text():
    lines = _run_with_settings(None)
    assert any(line.endswith(" INFO klantraat.security Login refused") for line in lines)
    # Once, through the root's handler (Django's own DEBUG console handler is not used).
    refused = [line for line in lines if "Method Not Allowed" in line]
    assert len(refused) == 1 and refused[0].endswith(
        " WARNING django.request Method Not Allowed (POST): /jsi18n/"
    )
    assert not any(line.startswith("{") for line in lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_lines_are_json_too(tmp_path):
    """The Procfile's web line (gunicorn, access log on) with JSON logs: every line of the
    master, the workers, the application and the access log is one JSON object."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL="sqlite:///:memory:",
        KLANTRAAT_VAR_DIR=str(tmp_path),
        KLANTRAAT_LOG_FORMAT="json",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    env.pop("CELERY_BROKER_URL", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--timeout", "120"]  # a busy machine may take long to load the application
    server = subprocess.Popen(
        [*command, "--access-logfile", "-"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", "/healthz/")
                status = connection.getresponse().status  # 503: no tables in this database
                connection.close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert any(
        r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in records
    )
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert access and access[-1]["path"] == "/healthz/" and access[-1]["status_code"] == status
    assert access[-1]["method"] == "GET"
