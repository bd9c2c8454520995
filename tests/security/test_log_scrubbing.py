"""Link tokens and ?token= values never reach a log: gunicorn's access and error lines and
Django's own log lines (a 404 names its path) show [Filtered] instead."""

import datetime as dt
import io
import logging
import logging.config
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from gunicorn.config import Config

from cms.log_format import logging_config

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zm9vYmFyc2VjcmV0dG9rZW4xMjM0NTY3ODkwYWJj"


@pytest.fixture(scope="module")
def gunicorn_logger():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("logger_class", conf.get("logger_class", "gunicorn.glogging.Logger"))
    return cfg.logger_class(cfg)


@pytest.mark.parametrize(
    "path, query",
    [
        (f"/r/{SECRET}/KV1/", ""),
        (f"/en/p/{SECRET}/", ""),
        (f"/k/{SECRET}/", ""),
        ("/api/v1/organisations", f"token={SECRET}"),
    ],
)
def test_gunicorns_access_line_has_no_token(gunicorn_logger, path, query):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    gunicorn_logger.access_log.addHandler(handler)
    gunicorn_logger.error_log.addHandler(handler)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://klantraat.example.nl/r/{SECRET}/",
        "REMOTE_ADDR": "203.0.113.9",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    try:
        gunicorn_logger.access(response, request, environ, dt.timedelta(milliseconds=5))
        gunicorn_logger.error("Error handling request %s", environ["RAW_URI"])
    finally:
        gunicorn_logger.access_log.removeHandler(handler)
        gunicorn_logger.error_log.removeHandler(handler)
    line = stream.getvalue()
    assert "GET" in line and "Error handling request" in line and "[Filtered]" in line
    assert SECRET not in line


def test_djangos_log_lines_have_no_token():
    stream = io.StringIO()
    config = logging_config("plain")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        logging.getLogger("django.request").warning("Not Found: %s", f"/r/{SECRET}/")
        logging.getLogger("django.server").info(
            '"GET /l/%s/?token=%s HTTP/1.1" 404', SECRET, SECRET
        )
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert stream.getvalue().count("[Filtered]") == 3
    assert SECRET not in stream.getvalue()
