"""Pointing the test process's Celery app at another broker."""

from cms.celery import app


def reset_pool() -> None:
    """Drop pooled connections so the next publish connects to the configured broker. They
    are dropped, not closed: closing an in-memory transport's connection disturbs the
    in-process workers of later tests, which share that transport's global state."""
    app._pool = None
    app.amqp._producer_pool = None
