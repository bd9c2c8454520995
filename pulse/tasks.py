from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_due_invitations() -> dict:
    """Every 15 minutes: queue the due invitations and reminders in the outbox."""
    return services.invitations_send_due()


@shared_task(acks_late=True)
def erase_expired_contacts() -> int:
    return services.contacts_erase_expired()


@shared_task(acks_late=True)
def rebuild_summaries() -> int:
    """Nightly: re-sum the months whose answers changed since the last run, organisation by
    organisation, each in its own short transaction (``manage.py pulse_rebuild_summaries``
    re-sums everything)."""
    from .aggregates import rebuild

    return rebuild(full=False)


@shared_task(acks_late=True)
def send_call_back_digest() -> int:
    """Daily: each handler hears which call-backs are overdue."""
    return services.call_backs_send_overdue_digest()
