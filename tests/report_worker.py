"""The Celery app for a worker that a test kills in the middle of a board-pack render: the
site's app, with the render of each pool process held while a file exists, and a marker file
written once a render has begun (tests/honeycomb/test_report_worker_kill.py)."""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from cms.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _hold_renders(**kwargs) -> None:
    folder = os.environ.get("KLANTRAAT_TEST_RENDER_DIR")
    if not folder:
        return
    from honeycomb import services

    real = services.build_report

    def held(pack, progress=None):
        Path(folder, f"rendering-{os.getpid()}").touch()
        while Path(folder, "hold").exists():
            time.sleep(0.05)
        return real(pack, progress=progress)

    services.build_report = held
