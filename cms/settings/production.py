"""Production: every unsafe or missing setting stops the start, nothing is guessed."""

import os

from django.core.exceptions import ImproperlyConfigured

from cms.storage import storages_from_environment

from .base import *  # noqa: F403
from .base import ANYMAIL, CELERY_BROKER_URL, DATABASES, KLANTRAAT_MAIL_PROVIDER, env


def _require(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"Production needs the environment variable {name}.")
    return value


SECRET_KEY = _require("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak: use 50+ random characters.")
ALLOWED_HOSTS = [h for h in _require("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
_require("DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL to postgres://...")
if CELERY_BROKER_URL.startswith(("filesystem://", "memory://")):
    raise ImproperlyConfigured(
        "Production needs a real broker: set CELERY_BROKER_URL to redis://..."
    )

# Rate limits (reset mails, respondent links) must hold across web processes: a shared cache.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if not _cache_url:
    raise ImproperlyConfigured(
        "Production needs a shared cache: set CACHE_URL (or REDIS_URL) to redis://..."
    )
CACHES = {"default": env.cache_url_config(_cache_url)}
if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache")):
    raise ImproperlyConfigured(
        "Production needs a cache shared by every process: set CACHE_URL to redis://..."
    )

# Mailed links are built on this; the development default (127.0.0.1) would be mailed out.
WAGTAILADMIN_BASE_URL = _require("KLANTRAAT_BASE_URL")
if not WAGTAILADMIN_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "KLANTRAAT_BASE_URL must be a full URL: https://klantraat.example.nl"
    )
KLANTRAAT_BASE_URL = WAGTAILADMIN_BASE_URL.rstrip("/")

# Without mail, invitations and password resets go nowhere: EMAIL_URL, or EMAIL_HOST with
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS/EMAIL_USE_SSL.
if KLANTRAAT_MAIL_PROVIDER:
    # A mail service through django-anymail (base.py): its status webhook must be protected.
    EMAIL_BACKEND = f"anymail.backends.{KLANTRAAT_MAIL_PROVIDER}.EmailBackend"
    if len(ANYMAIL.get("WEBHOOK_SECRET", "")) < 20 or ":" not in ANYMAIL["WEBHOOK_SECRET"]:
        raise ImproperlyConfigured(
            "KLANTRAAT_MAIL_PROVIDER needs ANYMAIL_WEBHOOK_SECRET=user:long-random-password "
            "(the basic auth the mail service's webhook calls with)."
        )
elif env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    raise ImproperlyConfigured(
        "Production needs mail settings: set KLANTRAAT_MAIL_PROVIDER (with its ANYMAIL_* keys), "
        "EMAIL_URL (smtp+tls://user:pass@host:587) or EMAIL_HOST."
    )

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 60 * 60 * 8

STORAGES = storages_from_environment(
    os.environ, static_backend="whitenoise.storage.CompressedManifestStaticFilesStorage"
)
