"""Running the pulse's beat task in a test: it queues in the outbox, whose tasks run when the
queueing transactions commit (eager Celery), so the messages leave as they would in a worker."""

from django.test import TestCase

from pulse import services


def send_due(now=None) -> dict[str, int]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.invitations_send_due(now=now)
