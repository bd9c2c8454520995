"""Test settings: fast hashing, locmem mail and cache, eager tasks unless a test starts a worker."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A test that starts a real worker uses this broker: Redis when REDIS_URL is set, otherwise
# the in-process memory transport.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=os.environ.get("REDIS_URL", "memory://"))
CELERY_BROKER_TRANSPORT_OPTIONS = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
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
