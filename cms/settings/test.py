"""Test settings: fast hashing, locmem mail and cache, eager tasks unless a test starts a worker."""

import os
from pathlib import Path

from cms.storage import storages_from_environment

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str(
    "KLANTRAAT_TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A test that starts a real worker uses this broker: Redis when REDIS_URL is set, otherwise
# the in-process memory transport.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=os.environ.get("REDIS_URL", "memory://"))
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("KLANTRAAT_TEST_BROKER_OPTIONS", default={})

# Only set for a worker process that a test starts (tests/scan/test_worker_kill.py): a mail
# backend that records to a folder, and a mail claim timeout of seconds instead of minutes.
KLANTRAAT_TEST_MAIL_DIR = env.str("KLANTRAAT_TEST_MAIL_DIR", default="")
KLANTRAAT_TEST_MAIL_DELAY = env.float("KLANTRAAT_TEST_MAIL_DELAY", default=0.3)
if os.environ.get("KLANTRAAT_MAIL_CLAIM_TIMEOUT"):
    KLANTRAAT_MAIL_CLAIM_TIMEOUT = env.float("KLANTRAAT_MAIL_CLAIM_TIMEOUT")
# The same for a board-pack worker (tests/honeycomb/test_report_worker_kill.py): seconds before
# a running job counts as lost, and the attempts a job gets.
if os.environ.get("KLANTRAAT_REPORT_RUNNING_LIMIT"):
    KLANTRAAT_REPORT_RUNNING_LIMIT = env.float("KLANTRAAT_REPORT_RUNNING_LIMIT")
if os.environ.get("KLANTRAAT_REPORT_MAX_ATTEMPTS"):
    KLANTRAAT_REPORT_MAX_ATTEMPTS = env.int("KLANTRAAT_REPORT_MAX_ATTEMPTS")

STORAGES = storages_from_environment(
    {}, static_backend="django.contrib.staticfiles.storage.StaticFilesStorage"
)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file (not shared-cache memory) for SQLite tests: concurrent writers then wait for each
# other as in real use, instead of failing with "table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(_tempfile.gettempdir()) / f"klantraat-test-{os.getpid()}.sqlite3")
    }

KLANTRAAT_SMS_BACKEND = env.str("KLANTRAAT_TEST_SMS_BACKEND", default="pulse.sms.LocmemSmsBackend")
