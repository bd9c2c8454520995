"""gunicorn reads this file from the folder it starts in (the Procfile's web line, make loadtest).

With KLANTRAAT_LOG_FORMAT=json gunicorn's own lines (start, workers, one per request) are JSON
objects like the application's (cms/log_format.py); otherwise nothing changes. This file must
not import the project: ``cms`` would choose development settings before cms.wsgi runs.
"""

import os
from typing import Any

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
