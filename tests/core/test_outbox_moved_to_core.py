"""The outbox moved from scan to core without copying a message: a database at the old state
keeps its queued mail, a respondent's mail gets its RespondentMail row (respondent, link,
sequence), and after migrating every queued message is sent exactly once with the right link,
also by a task queued under the old name."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dispatch import task_delay
from core.models import MailStatus, OutgoingMail
from core.models.outbox import LINK_MARK
from core.tokens import new_nonce, token_digest
from pulse import services as pulse_services
from pulse.links import link_token
from scan.models import RespondentMail
from scan.services import respondent_for_token
from scan.services.respondent_mail import respondent_token
from tests import factories
from tests.migrating import migrate, migration_graph
from tests.pulse.conftest import event

pytestmark = pytest.mark.django_db(transaction=True)

MOVE = ("core", "0003_outbox")
RESPONDENT_PART = ("scan", "0021_respondent_mail")


def before_the_move():
    """Each app just before its part of the move (whatever core migration 0003 follows)."""
    graph = migration_graph()
    return [
        *sorted(p.key for p in graph.node_map[MOVE].parents if p.key[0] == "core"),
        *sorted(p.key for p in graph.node_map[RESPONDENT_PART].parents if p.key[0] == "scan"),
    ]


@pytest.fixture
def old_apps():
    apps = migrate(before_the_move())
    yield apps
    migrate()  # also when the test failed half-way: the next tests need the schema


@pytest.fixture
def scene(round_a):
    """What the tables the move leaves alone hold: a respondent and a pulse invitation."""
    respondent = factories.respondent(round_a, email="ann@x.nl", name="Ann")
    organisation = round_a.organisation
    pulse_services.moments_install_defaults(organisation=organisation)
    report = pulse_services.events_ingest(
        organisation=organisation, items=[event(1, partner="", email="huurder@x.nl")]
    )
    return respondent, report.events[0].invitation


def test_queued_mail_survives_the_move_and_goes_once(scene, old_apps):
    respondent, invitation = scene
    OldOutgoingMail = old_apps.get_model("scan", "OutgoingMail")
    OldToken = old_apps.get_model("scan", "RespondentToken")
    # An invitation as the release before wrote it: text with the mark, a nonce, the hashed link.
    nonce = new_nonce()
    token = OldToken.objects.create(
        respondent_id=respondent.pk, token_hash=token_digest(respondent_token(nonce))
    )
    queued = OldOutgoingMail.objects.create(
        respondent_id=respondent.pk,
        token=token,
        kind="invitation",
        sequence=1,
        subject="Uitnodiging",
        body=f"Beste Ann, doe mee: {LINK_MARK}",
        link_nonce=nonce,
        next_attempt_at=timezone.now(),
    )
    tenant = OldOutgoingMail.objects.create(
        kind="pulse_invitation",
        ref_id=invitation.pk,
        key=f"pulse_invitation:{invitation.pk}",
        next_attempt_at=timezone.now(),
    )

    migrate()

    part = RespondentMail.objects.get(pk=queued.pk)
    assert (part.respondent_id, part.token_id, part.kind, part.sequence) == (
        respondent.pk,
        token.pk,
        "invitation",
        1,
    )
    assert not RespondentMail.objects.filter(pk=tenant.pk).exists()
    assert OutgoingMail.objects.get(pk=tenant.pk).status == MailStatus.QUEUED
    # The rule stays: a second invitation for the same respondent is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        second = OutgoingMail.objects.create(kind="invitation")
        RespondentMail.objects.create(
            message=second, respondent_id=respondent.pk, kind="invitation", sequence=1
        )

    # A batch queued under the task's old name (in the broker during the upgrade) still sends.
    task_delay("scan.tasks.send_outbox_batch", [queued.pk, tenant.pk])
    task_delay("core.tasks.send_outbox_batch", [queued.pk, tenant.pk])  # nothing again

    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(bodies) == ["ann@x.nl", "huurder@x.nl"] and len(mail.outbox) == 2
    link = respondent_token(nonce)
    assert link in bodies["ann@x.nl"] and LINK_MARK not in bodies["ann@x.nl"]
    assert respondent_for_token(link) == respondent
    assert link_token(invitation.link_nonce) in bodies["huurder@x.nl"]
    sent = OutgoingMail.objects.filter(pk__in=[queued.pk, tenant.pk])
    assert {m.status for m in sent} == {MailStatus.SENT}
    invitation.refresh_from_db()
    assert invitation.status == "sent"


def test_erasing_a_respondent_takes_their_messages_along(
    round_a, django_capture_on_commit_callbacks
):
    from scan import services

    kept = factories.respondent(round_a, email="blijft@x.nl")
    gone = factories.respondent(round_a, email="weg@x.nl")
    with django_capture_on_commit_callbacks(execute=False):
        services.invitations_queue(scan_round=round_a)
    notice = OutgoingMail.objects.create(kind="notice", recipient="x@x.nl")
    assert OutgoingMail.objects.count() == 3
    gone.delete()  # a cascade (round, group, organisation deleted) goes the same way
    left = OutgoingMail.objects.order_by("pk")
    assert [m.pk for m in left] == [kept.mails.get().pk, notice.pk]
    assert RespondentMail.objects.count() == 1
    services.respondent_erase_personal_data(respondent=kept)
    assert list(OutgoingMail.objects.all()) == [notice]
