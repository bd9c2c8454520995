import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD = {
    "DJANGO_SECRET_KEY": "k" * 10 + "A-very-long-and-random-test-secret-key-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "klantraat.example.nl",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/klantraat",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def test_production_settings_pass_deploy_checks():
    result = run_check(GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_required_settings():
    for missing, message in [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("DATABASE_URL", "DATABASE_URL"),
    ]:
        env = {k: v for k, v in GOOD.items() if k != missing}
        result = run_check(env)
        assert result.returncode != 0
        assert message in result.stderr


def test_production_refuses_weak_key_sqlite_and_local_broker():
    for override, message in [
        ({"DJANGO_SECRET_KEY": "short"}, "too weak"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL"),
        ({"CELERY_BROKER_URL": "filesystem://"}, "real broker"),
    ]:
        result = run_check({**GOOD, **override})
        assert result.returncode != 0 and message in result.stderr
