"""A real `celery worker` for the kill tests: started in a process group of its own, so one
SIGKILL reaches the main process and its pool alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is dead


class WorkerProcess:
    """`celery -A <app> worker` on ``queues``, its output in ``log``."""

    def __init__(
        self, label: str, env: dict, log: Path, *, app: str, queues: str, concurrency: int
    ):
        self.label = label
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    app,
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    f"--queues={queues}",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                    f"--hostname=kill-{label}-{os.getpid()}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Kill whatever is left of the group (a warm shutdown takes seconds on the filesystem
        transport and the test no longer needs the worker)."""
        if self.process.poll() is None:
            self.kill()
        self.signal_group(signal.SIGKILL)  # pool processes of an already dead main process

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- worker {self.label} ---\n" + "\n".join(text.splitlines()[-lines:])
