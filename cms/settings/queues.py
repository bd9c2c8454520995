"""Celery queues per kind of work, and how long data that piles up is kept.

Each queue has workers of its own (Procfile): a board-pack render of minutes never holds up
mail, and a pulse upload's invitations never wait behind a render. A task not named here runs
on the default queue "celery"."""

import environ

env = environ.Env()

MAIL, REPORTS, PULSE, DEFAULT = "mail", "reports", "pulse", "celery"
QUEUES = (DEFAULT, MAIL, REPORTS, PULSE)

CELERY_TASK_DEFAULT_QUEUE = DEFAULT
# Exact names first; then the pattern: every task named send_* sends messages (an outbox
# task added later lands on "mail" without a new line here).
CELERY_TASK_ROUTES = {
    "honeycomb.tasks.render_report_task": {"queue": REPORTS},
    "pulse.tasks.send_due_invitations": {"queue": PULSE},
    "pulse.tasks.rebuild_summaries": {"queue": PULSE},
    "pulse.tasks.erase_expired_contacts": {"queue": PULSE},
    "core.tasks.send_outbox_batch": {"queue": MAIL},
    "core.tasks.send_mail_task": {"queue": MAIL},
    "core.tasks.send_pending_mails": {"queue": MAIL},
    # The names these tasks had before the outbox moved to core: messages queued by the
    # previous release may wait in the broker on upgrade (scan.tasks runs them by core's).
    "scan.tasks.send_outbox_batch": {"queue": MAIL},
    "scan.tasks.send_mail_task": {"queue": MAIL},
    "scan.tasks.send_pending_mails": {"queue": MAIL},
    "pulse.tasks.send_call_back_digest": {"queue": MAIL},
    "actions.tasks.send_action_reminders": {"queue": MAIL},
    "*.tasks.send_*": {"queue": MAIL},
}

# Retention: rendered board packs (made again from the stored release on request) and the
# audit rows of results-API reads (a BI tool refreshing every hour writes thousands a year;
# exports by people and every other audit event are kept).
KLANTRAAT_REPORT_RETENTION_DAYS = env.int("KLANTRAAT_REPORT_RETENTION_DAYS", default=30)
KLANTRAAT_API_AUDIT_RETENTION_DAYS = env.int("KLANTRAAT_API_AUDIT_RETENTION_DAYS", default=180)

# Added to the beat schedule in base.py. The sweeper and the retention tasks are light: they
# run on the default queue, so a busy reports queue cannot hold up its own sweeper.
BACKGROUND_BEAT_SCHEDULE = {
    "sweep-report-jobs": {"task": "honeycomb.tasks.sweep_report_jobs", "schedule": 5 * 60},
    "purge-old-reports": {"task": "honeycomb.tasks.purge_old_reports", "schedule": 24 * 60 * 60},
    "purge-api-read-audit": {
        "task": "honeycomb.tasks.purge_api_read_audit",
        "schedule": 24 * 60 * 60,
    },
}
