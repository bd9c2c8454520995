"""Queue a Celery task by its registered name.

Services queue work through this module so that ``tasks`` import ``services`` and never the
other way round. The task object comes from the app's registry, so eager mode (tests) and the
task's own options (late acknowledgement, retries) still apply."""

from __future__ import annotations

from importlib import import_module
from typing import Any


def task_delay(name: str, *args: Any) -> Any:
    from celery import current_app

    if name not in current_app.tasks:
        # Autodiscovery is lazy: load the task's module (named in the task's name) first.
        import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name].delay(*args)
