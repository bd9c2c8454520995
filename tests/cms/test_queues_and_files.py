"""Queues per kind of work (routes, Procfile workers), the retention of API-read audit rows,
and where files go: the file system by default, an S3-compatible bucket when configured."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cms.celery import app
from cms.settings.queues import QUEUES
from cms.storage import PRIVATE, storages_from_environment

ROOT = Path(settings.BASE_DIR)
STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def queue_of(task: str) -> str:
    route = app.amqp.router.route({}, task)
    return route["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("honeycomb.tasks.render_report_task", "reports"),
        ("core.tasks.send_outbox_batch", "mail"),
        ("core.tasks.send_mail_task", "mail"),
        ("core.tasks.send_pending_mails", "mail"),
        # The names of the previous release, for messages still in the broker on upgrade.
        ("scan.tasks.send_outbox_batch", "mail"),
        ("scan.tasks.send_mail_task", "mail"),
        ("pulse.tasks.send_call_back_mail", "mail"),
        ("actions.tasks.send_action_reminders", "mail"),
        ("core.tasks.send_outbox_message", "mail"),  # any sending task, also one added later
        ("pulse.tasks.send_due_invitations", "pulse"),
        ("pulse.tasks.rebuild_summaries", "pulse"),
        ("honeycomb.tasks.sweep_report_jobs", "celery"),
        ("honeycomb.tasks.purge_old_reports", "celery"),
        ("actions.tasks.prepare_due_evaluations", "celery"),
    ],
)
def test_each_kind_of_work_has_its_queue(task, queue):
    assert queue_of(task) == queue


def _worker_queues(procfile: str) -> dict[str, set[str]]:
    queues = {}
    for line in (ROOT / procfile).read_text().splitlines():
        name, _, command = line.partition(":")
        if " worker " in command:
            match = re.search(r"--queues=(\S+)", command)
            assert match, f"{procfile} {name}: a worker names its queues"
            queues[name] = set(match.group(1).split(","))
    return queues


@pytest.mark.parametrize("procfile", ["Procfile", "Procfile.dev"])
def test_every_queue_has_a_worker_and_reports_have_their_own(procfile):
    workers = _worker_queues(procfile)
    assert set().union(*workers.values()) == set(QUEUES)
    # A render of minutes never holds up mail: the reports queue has a worker of its own.
    assert [queues for queues in workers.values() if "reports" in queues] == [{"reports"}]


def test_production_workers_set_their_own_concurrency():
    for line in (ROOT / "Procfile").read_text().splitlines():
        if " worker " in line:
            assert "--concurrency=${" in line, line


def test_beat_runs_the_sweeper_and_the_retention_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "honeycomb.tasks.sweep_report_jobs",
        "honeycomb.tasks.purge_old_reports",
        "honeycomb.tasks.purge_api_read_audit",
        "core.tasks.send_pending_mails",
        "core.tasks.clear_sent_mail_texts",
    } <= tasks


def test_the_outbox_tasks_answer_to_their_old_names_too():
    """A message queued by the release before the outbox moved to core still finds its task."""
    import core.tasks
    import scan.tasks

    for name in ("send_outbox_batch", "send_mail_task", "send_pending_mails"):
        assert getattr(core.tasks, name).name == f"core.tasks.{name}"
        assert getattr(scan.tasks, name).name == f"scan.tasks.{name}"
        assert f"scan.tasks.{name}" in app.tasks


@pytest.mark.django_db
def test_api_read_audit_rows_are_kept_for_the_retention_period(round_a, settings):
    from core.audit import audit
    from core.models import AuditEvent
    from honeycomb.services import api_reads_purge

    settings.KLANTRAAT_API_AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    org = round_a.organisation

    def event(days_ago: int, kind: str = "export", **detail) -> int:
        row = audit(kind, organisation=org, **detail)
        AuditEvent.objects.filter(pk=row.pk).update(at=now - dt.timedelta(days=days_ago))
        return row.pk

    old_read = event(181, what="api /api/v1/organisations/alfa/rounds/1/cells")
    recent_read = event(179, what="api /api/v1/organisations/alfa/rounds")
    old_export = event(400, what="excel", round=round_a.pk)  # a person's export stays
    old_login = event(400, "login")
    assert api_reads_purge(now) == 1
    kept = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old_read not in kept
    assert {recent_read, old_export, old_login} <= kept


def test_files_stay_on_this_machine_without_a_bucket():
    storages = storages_from_environment({}, static_backend=STATIC)
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages[PRIVATE]["BACKEND"] == "cms.storage.PrivateFileSystemStorage"
    assert storages["staticfiles"]["BACKEND"] == STATIC


def test_a_bucket_takes_private_files_and_uploads_without_public_urls():
    from django.utils.module_loading import import_string

    environ = {
        "KLANTRAAT_S3_BUCKET": "klantraat-files",
        "KLANTRAAT_S3_ENDPOINT_URL": "https://s3.example.nl",
        "KLANTRAAT_S3_REGION": "nl-ams",
        "KLANTRAAT_S3_ACCESS_KEY_ID": "key",
        "KLANTRAAT_S3_SECRET_ACCESS_KEY": "secret",
    }
    storages = storages_from_environment(environ, static_backend=STATIC)
    private = storages[PRIVATE]
    assert private["OPTIONS"]["bucket_name"] == "klantraat-files"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["default_acl"] == "private"
    assert private["OPTIONS"]["endpoint_url"] == "https://s3.example.nl"
    assert storages["default"]["OPTIONS"]["location"] == "media"
    assert storages["staticfiles"]["BACKEND"] == STATIC  # static files stay with whitenoise
    storage = import_string(private["BACKEND"])(**private["OPTIONS"])
    assert storage.bucket_name == "klantraat-files" and storage.location == "private"
    with pytest.raises(ValueError):
        storage.url("reports/1/x.pdf")  # served only by a view that checks permission


def test_private_files_have_no_url(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    name = storages[PRIVATE].save("evidence/1/x", ContentFile(b"secret"))
    assert (tmp_path / name).read_bytes() == b"secret"
    with pytest.raises(ValueError):
        storages[PRIVATE].url(name)
