"""The Celery app. Tasks take ids, load objects and call services."""

import os

from celery import Celery

from cms.broker import make_broker_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("klantraat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The filesystem transport needs its folders before the first message."""
    make_broker_folders(app.conf.broker_transport_options or {})
