"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab as _crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "cms"
VAR_DIR = Path(environ.Env().str("KLANTRAAT_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "formtools",
    "axes",
    "csp",
    "anymail",
]
LOCAL_APPS = [
    "cms",
    "core",
    "scan",
    "honeycomb",
    "actions",
    "pulse",
    "sso",
]
INSTALLED_APPS = LOCAL_APPS[:1] + DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS[1:]

MIDDLEWARE = [
    "cms.middleware.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.NoStoreMiddleware",
    "cms.middleware.AuditActorMiddleware",
    "cms.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.capabilities",
            ],
        },
    },
]

# Widget templates (the wizard's level choices) live in the project's templates folder.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'klantraat.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare a statement after a few runs, so PostgreSQL
    # plans the respondent-link join once per connection instead of on every request.
    DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DJANGO_DB_PREPARE", default=True):
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cms.User"
# django-axes first: it refuses a locked-out login before any password is checked, for every
# form that calls authenticate() with the request (the site's /login/ and Wagtail's
# /cms/login/ alike), so both share one lockout state.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in through an organisation's identity provider (sso/): only for its callback.
    "sso.backends.OrganisationOIDCBackend",
]
# mozilla-django-oidc, per organisation (sso.models.IdentityProvider): the authorization code
# flow with state, nonce and PKCE; RS256 ID tokens checked against the provider's keys. No
# account is ever created by a sign-in.
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_REDIRECT_ALLOWED_HOSTS: list[str] = []
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "cms:login"

# Login lockout (django-axes, state in the database so every process sees it). Failures are
# counted per account *and* address: five wrong passwords lock that account from that address
# for 15 minutes, while colleagues behind the same office address keep logging in. A success
# clears the count; successes are never limited. One address that fails on many accounts
# (password spraying) is refused too, at cms.login_policy.ADDRESS_FAILURE_LIMIT failures.
AXES_HANDLER = "cms.login_policy.LoginPolicyHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "cms.login_policy.login_username"
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.login_policy.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Successful logins are not logged a second time (the audit log has them); failures are.
AXES_DISABLE_ACCESS_LOG = True
# Proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated). Empty: the
# header is ignored and the connecting address is the client.
KLANTRAAT_TRUSTED_PROXIES = env.list("KLANTRAAT_TRUSTED_PROXIES", default=[])
LOGIN_REDIRECT_URL = "cms:landing"  # working-group members land on their actions
LOGOUT_REDIRECT_URL = "/"

# Dutch first, English complete.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (evidence, rendered board packs) go through the "private" storage: outside
# MEDIA_ROOT, or an S3-compatible bucket with KLANTRAAT_S3_BUCKET (cms/storage.py); only views
# that check permission send them.
PRIVATE_MEDIA_ROOT = Path(env.str("KLANTRAAT_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
from cms.storage import storages_from_environment  # noqa: E402

STORAGES = storages_from_environment(
    os.environ, static_backend="django.contrib.staticfiles.storage.StaticFilesStorage"
)
# CMS documents always pass Wagtail's own check, also when they live in a bucket.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "Klantraat"
WAGTAILADMIN_BASE_URL = env.str("KLANTRAAT_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Wagtail's reset form mails under the same limits as the site's (cms/login_policy.py).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "cms.login_policy.RateLimitedWagtailPasswordResetForm"
# The public base URL used in mails (respondent links).
KLANTRAAT_BASE_URL = WAGTAILADMIN_BASE_URL.rstrip("/")
# Only the load benchmark turns this on: it adds a bare "floor" view to compare against.
KLANTRAAT_BENCH_FLOOR = env.bool("KLANTRAAT_BENCH_FLOOR", default=False)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Klantraat <noreply@klantraat.nl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail service with delivery reports (django-anymail): KLANTRAAT_MAIL_PROVIDER is one of
# core.views_delivery.TRACKING_VIEWS (mailgun, postmark, sendgrid, amazon_ses, brevo, …); its
# keys come from ANYMAIL_* variables (ANYMAIL_MAILGUN_API_KEY → ANYMAIL["MAILGUN_API_KEY"]).
# Its status webhook is /webhooks/mail/events/, behind ANYMAIL_WEBHOOK_SECRET (basic auth)
# and the provider's own signature where it signs.
KLANTRAAT_MAIL_PROVIDER = env.str("KLANTRAAT_MAIL_PROVIDER", default="")
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}
if KLANTRAAT_MAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{KLANTRAAT_MAIL_PROVIDER}.EmailBackend"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://klantraat"),
}

# Celery: the broker comes from the environment; locally the filesystem transport needs no
# server and works across processes (web, worker, beat).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    from cms.broker import filesystem_broker_options

    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "celery")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Late acknowledgement: a worker killed mid-task leaves the message for the next worker;
# tasks are written to be idempotent for exactly that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A request that queues work must not hang when the broker is down: try briefly, then let
# the sweeper pick the work up later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}

# Logs go to stderr as plain text, or as one JSON object per line with
# KLANTRAAT_LOG_FORMAT=json (cms/log_format.py).
from cms.log_format import logging_config  # noqa: E402

KLANTRAAT_LOG_FORMAT = env.str("KLANTRAAT_LOG_FORMAT", default="plain")
LOGGING = logging_config(KLANTRAAT_LOG_FORMAT, env.str("DJANGO_LOG_LEVEL", default="INFO"))
if KLANTRAAT_LOG_FORMAT == "json":
    # The worker keeps this configuration instead of putting its own text format on the root,
    # and Python's warnings become log lines too.
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    import logging as _logging

    _logging.captureWarnings(True)

# Optional error reporting: with SENTRY_DSN set, errors of web requests and Celery tasks go to
# Sentry, without personal data and with respondent and other secret links filtered out
# (cms/error_reporting.py). SENTRY_ENVIRONMENT and SENTRY_RELEASE name the installation.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from cms.error_reporting import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=""),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

# Beat: reminders and evaluation preparation are idempotent, so an hourly run is safe.
CELERY_BEAT_SCHEDULE = {
    "pending-mails": {"task": "core.tasks.send_pending_mails", "schedule": 5 * 60},
    "clear-sent-mail-texts": {
        "task": "core.tasks.clear_sent_mail_texts",
        "schedule": _crontab(hour=3, minute=15),
    },
    "action-reminders": {"task": "actions.tasks.send_action_reminders", "schedule": 60 * 60},
    "prepare-evaluations": {"task": "actions.tasks.prepare_due_evaluations", "schedule": 60 * 60},
    "pulse-invitations": {"task": "pulse.tasks.send_due_invitations", "schedule": 15 * 60},
    "pulse-erase-contacts": {"task": "pulse.tasks.erase_expired_contacts", "schedule": 60 * 60},
    "pulse-rebuild-summaries": {"task": "pulse.tasks.rebuild_summaries", "schedule": 24 * 60 * 60},
    # Once a day, early in the working day; a second run the same day writes nothing.
    "pulse-call-back-digest": {
        "task": "pulse.tasks.send_call_back_digest",
        "schedule": _crontab(hour=7, minute=30),
    },
}
# Texts and addresses of sent messages are cleared from the outbox after this many days (the
# row stays as the record that the message went out, with its delivery state).
KLANTRAAT_OUTBOX_RETENTION_DAYS = env.int("KLANTRAAT_OUTBOX_RETENTION_DAYS", default=30)
# Tenant pulse: at most one invitation per address per this many days; contact details are
# kept this many days after a survey link expires (0: erased at once).
KLANTRAAT_PULSE_QUIET_DAYS = env.int("KLANTRAAT_PULSE_QUIET_DAYS", default=90)
KLANTRAAT_PULSE_CONTACT_RETENTION_DAYS = env.int(
    "KLANTRAAT_PULSE_CONTACT_RETENTION_DAYS", default=0
)
KLANTRAAT_SMS_BACKEND = env.str("KLANTRAAT_SMS_BACKEND", default="pulse.sms.FileSmsBackend")
# pulse.sms.TwilioSmsBackend: texts through Twilio with delivery receipts at
# /webhooks/sms/status/, signed with the auth token.
KLANTRAAT_TWILIO_ACCOUNT_SID = env.str("KLANTRAAT_TWILIO_ACCOUNT_SID", default="")
KLANTRAAT_TWILIO_AUTH_TOKEN = env.str("KLANTRAAT_TWILIO_AUTH_TOKEN", default="")
KLANTRAAT_TWILIO_FROM = env.str("KLANTRAAT_TWILIO_FROM", default="")
# Apps that build on the honeycomb add overlays and report sections through the Wagtail hooks
# "klantraat_honeycomb_overlays" and "klantraat_report_sections" (see actions/wagtail_hooks.py).


# Content Security Policy (django-csp): scripts and styles only from our own files. Charts are
# drawn by static/js/charts.js from JSON data; bars are <progress> elements; plotly.js's own rules
# come from static/vendor/plotly.css (linked as "plotly.js-style-global" with class
# "no-inline-styles", so the bundle adds no <style> element); it styles its SVG through CSSOM
# (element.style), which the policy allows, and charts.js sends the style attributes it writes for
# <b>/<i> in chart texts the same way. So no page has an inline script, <style> or style
# attribute. Every page's header carries a fresh nonce (base.html reads request.csp_nonce), for an
# element that ever has to be inline. Wagtail's admin (/cms/) brings inline scripts and styles
# of its own and keeps its own protections.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/cms/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [NONE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Queues per kind of work and retention periods (cms/settings/queues.py).
from .queues import (  # noqa: E402
    BACKGROUND_BEAT_SCHEDULE,
    CELERY_TASK_DEFAULT_QUEUE,  # noqa: F401
    CELERY_TASK_ROUTES,  # noqa: F401
    KLANTRAAT_API_AUDIT_RETENTION_DAYS,  # noqa: F401
    KLANTRAAT_REPORT_RETENTION_DAYS,  # noqa: F401
)

CELERY_BEAT_SCHEDULE.update(BACKGROUND_BEAT_SCHEDULE)
