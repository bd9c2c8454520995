"""Log lines as plain text (the default) or, with KLANTRAAT_LOG_FORMAT=json, one JSON object per
line for a log collector: timestamp (UTC), level, logger, message, the request's method, path
and status where Django's loggers give them, the exception's traceback, and any extra fields."""

import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .error_reporting import scrub_text

LOG_FORMATS = ("plain", "json")


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter, with Django's ``request`` extra turned into its method and
    path (the object itself is not JSON; runserver even passes its socket)."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str):
            log_data["method"] = getattr(request, "method", None)
            log_data["path"] = scrub_text(path)


class ScrubSecrets(logging.Filter):
    """Every log line without link tokens and secret query values ("Not Found: /r/<token>/",
    runserver's request lines): the message is formatted once and scrubbed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub_text(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


def logging_config(log_format: str = "plain", level: str = "INFO") -> dict[str, Any]:
    """The LOGGING setting: everything to stderr in ``log_format`` ("plain" or "json")."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"KLANTRAAT_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
        )
    loggers: dict[str, Any] = {
        # Django's own console handler (DEBUG only) would print django.* a second time, in its
        # own format: everything goes through the root's handler instead.
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "klantraat.security": {"level": "INFO"},
    }
    if log_format == "json":
        # runserver's request lines too (its own handler prints coloured text).
        loggers["django.server"] = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {
                "()": "cms.log_format.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
                "timestamp": True,
            },
        },
        "filters": {"scrub_secrets": {"()": "cms.log_format.ScrubSecrets"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["scrub_secrets"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }
