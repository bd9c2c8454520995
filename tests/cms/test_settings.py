import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _environment(env_overrides: dict) -> dict:
    # Nothing from the developer's or CI's own environment leaks into the settings under test.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_URL", "CELERY_", "CACHE_URL", "REDIS_URL", "EMAIL_", "KLANTRAAT_")
        )
    }
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", **env_overrides})
    return env


def run_check(env_overrides: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def import_settings(env_overrides: dict, show: str = "") -> subprocess.CompletedProcess:
    """Only import the settings module: what it refuses, it refuses before Django starts."""
    code = "import cms.settings.production as s"
    if show:
        code += f"; print(repr({show}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD = {
    "DJANGO_SECRET_KEY": "k" * 10 + "A-very-long-and-random-test-secret-key-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "klantraat.example.nl",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/klantraat",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "KLANTRAAT_BASE_URL": "https://klantraat.example.nl",
    "EMAIL_URL": "smtp+tls://user:pass@smtp.example.nl:587",
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


def test_the_complete_environment_imports():
    result = import_settings(GOOD, show="(s.CACHES['default']['BACKEND'], s.KLANTRAAT_BASE_URL)")
    assert result.returncode == 0, result.stderr
    assert "RedisCache" in result.stdout and "https://klantraat.example.nl" in result.stdout


def test_production_refuses_to_start_without_cache_base_url_or_mail():
    for missing, message in [
        ("CACHE_URL", "shared cache"),
        ("KLANTRAAT_BASE_URL", "KLANTRAAT_BASE_URL"),
        ("EMAIL_URL", "mail settings"),
    ]:
        env = {k: v for k, v in GOOD.items() if k != missing}
        result = import_settings(env)
        assert result.returncode != 0, missing
        assert "ImproperlyConfigured" in result.stderr and message in result.stderr, missing


def test_production_refuses_a_cache_of_one_process():
    result = import_settings({**GOOD, "CACHE_URL": "locmemcache://klantraat"})
    assert result.returncode != 0 and "shared by every process" in result.stderr


def test_redis_url_and_email_host_are_accepted_too():
    env = {k: v for k, v in GOOD.items() if k not in ("CACHE_URL", "EMAIL_URL")}
    env.update({"REDIS_URL": "redis://127.0.0.1:6379/2", "EMAIL_HOST": "smtp.example.nl"})
    result = import_settings(
        env, show="(s.CACHES['default']['LOCATION'], s.EMAIL_HOST, s.EMAIL_USE_TLS)"
    )
    assert result.returncode == 0, result.stderr
    assert "('redis://127.0.0.1:6379/2', 'smtp.example.nl', True)" in result.stdout


SERVICES = {
    # A corporation signs in through Entra ID; its client secret lives in the environment.
    "KLANTRAAT_OIDC_SECRET_LINDE": "entra-client-secret",
    "KLANTRAAT_MAIL_PROVIDER": "mailgun",
    "ANYMAIL_MAILGUN_API_KEY": "key-test",
    "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key-test",
    "ANYMAIL_WEBHOOK_SECRET": "klantraat:a-long-random-webhook-password",
    "KLANTRAAT_SMS_BACKEND": "pulse.sms.TwilioSmsBackend",
    "KLANTRAAT_TWILIO_ACCOUNT_SID": "AC0123",
    "KLANTRAAT_TWILIO_AUTH_TOKEN": "token",
    "KLANTRAAT_TWILIO_FROM": "+3197010200300",
}


def test_deploy_checks_pass_with_sso_a_mail_service_and_sms_receipts():
    env = {k: v for k, v in GOOD.items() if k != "EMAIL_URL"}
    result = run_check({**env, **SERVICES})
    assert result.returncode == 0, result.stdout + result.stderr
    shown = import_settings({**env, **SERVICES}, show="(s.EMAIL_BACKEND, s.OIDC_CREATE_USER)")
    assert "('anymail.backends.mailgun.EmailBackend', False)" in shown.stdout


def test_a_mail_service_needs_a_webhook_secret():
    env = {k: v for k, v in {**GOOD, **SERVICES}.items() if k != "ANYMAIL_WEBHOOK_SECRET"}
    result = import_settings(env)
    assert result.returncode != 0 and "ANYMAIL_WEBHOOK_SECRET" in result.stderr


def test_deploy_checks_refuse_unsafe_sso_settings(settings):
    from sso.checks import check_oidc_settings

    assert check_oidc_settings() == []
    settings.OIDC_CREATE_USER = True
    settings.OIDC_VERIFY_SSL = False
    assert [w.id for w in check_oidc_settings()] == ["sso.W001", "sso.W001"]
