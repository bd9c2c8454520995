"""gunicorn reads this file from the folder it starts in (the Procfile's web line, make loadtest).

With KLANTRAAT_LOG_FORMAT=json gunicorn's own lines (start, workers, one per request) are JSON
objects like the application's (cms/log_format.py); otherwise nothing changes. This file must
not import the project: ``cms`` would choose development settings before cms.wsgi runs.
"""

import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger


def _load_scrub_text():
    """cms/error_reporting.py's scrubber, loaded from its file: importing the ``cms`` package
    would start Celery and Django with the wrong settings."""
    spec = importlib.util.spec_from_file_location(
        "klantraat_scrub", Path(__file__).resolve().parent / "cms" / "error_reporting.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.scrub_text


_scrub_text = _load_scrub_text()


class _ScrubMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if (scrubbed := _scrub_text(message)) != message:
            record.msg, record.args = scrubbed, None
        return True


class ScrubbingLogger(Logger):
    """Log lines without secrets: the tokens of /r/, /l/, /p/, /k/, welcome and reset links
    and ?token= values become [Filtered] in the access line's request line, path, query and
    referer, and in error lines ("Error handling request /r/…"). A link is the respondent's
    key, and a log is read by more people than the database."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        self.error_log.addFilter(_ScrubMessages())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: _scrub_text(v) if isinstance(v, str) else v for k, v in atoms.items()}


logger_class = ScrubbingLogger

if os.environ.get("KLANTRAAT_LOG_FORMAT") == "json":
    from pythonjsonlogger.json import JsonFormatter

    class GunicornJsonFormatter(JsonFormatter):
        """Access lines also carry method, path, status and duration as fields."""

        def add_fields(self, log_data: dict[str, Any], record: Any, message_dict: Any) -> None:
            super().add_fields(log_data, record, message_dict)
            atoms = record.args if record.name == "gunicorn.access" else None
            if isinstance(atoms, dict):
                log_data["method"] = atoms.get("m")
                log_data["path"] = atoms.get("U")
                status = str(atoms.get("s", ""))
                log_data["status_code"] = int(status) if status.isdigit() else None
                log_data["duration_ms"] = int(atoms.get("D", 0)) // 1000
                log_data["remote_addr"] = atoms.get("h")

    _handler = {"class": "logging.StreamHandler", "formatter": "json"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": GunicornJsonFormatter,
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
                "timestamp": True,
            }
        },
        "handlers": {
            "json_stderr": {**_handler, "stream": "ext://sys.stderr"},
            "json_stdout": {**_handler, "stream": "ext://sys.stdout"},
        },
        "root": {"level": "INFO", "handlers": ["json_stderr"]},
        "loggers": {
            # No level: gunicorn's --log-level keeps deciding.
            "gunicorn.error": {"handlers": ["json_stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["json_stdout"], "propagate": False},
        },
    }

# No control socket (gunicorn 24 and later open one; 23 ignores the setting): nothing here uses
# it, and two gunicorns on one host (the web process and make loadtest) would share its path.
control_socket_disable = True
