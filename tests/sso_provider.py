"""Starts the test identity provider (tests/oidc_provider) in its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID = "klantraat-test"
CLIENT_SECRET = "test-client-secret-" + "x" * 20
SECRET_VARIABLE = "KLANTRAAT_OIDC_SECRET_TEST"
CODE_SECONDS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def identity_provider(redirect_uri: str, users: list[str]):
    """Yield the issuer URL of a running provider that knows ``users`` (password
    "idp-password") and one confidential client redirecting to ``redirect_uri``."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "OIDC_TEST_PORT": str(port),
            "OIDC_TEST_DB": str(Path(folder) / "idp.sqlite3"),
            "OIDC_TEST_CLIENT_ID": CLIENT_ID,
            "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_TEST_REDIRECT_URI": redirect_uri,
            "OIDC_TEST_USERS": ",".join(users),
            "OIDC_TEST_CODE_SECONDS": str(CODE_SECONDS),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"], cwd=ROOT, env=env
        )
        issuer = f"http://127.0.0.1:{port}/o"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(issuer + "/.well-known/openid-configuration", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the test identity provider did not start")
                time.sleep(0.3)
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)
