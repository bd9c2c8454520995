from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scan.models import ScanRound


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportKind(models.TextChoices):
    PDF = "pdf", "PDF"
    PPTX = "pptx", "PowerPoint"


def private_storage():
    """Rendered packs are in the private storage (cms/storage.py), shared by every web and
    worker machine; only the download view, after its permission check, sends them."""
    from django.core.files.storage import storages

    return storages["private"]


def pack_path(instance: "ReportJob", filename: str) -> str:
    # A random name per render: a retried render never overwrites a pack someone downloads.
    import secrets

    return f"reports/{instance.round.organisation_id}/{secrets.token_hex(16)}-{filename}"


class ReportJob(models.Model):
    """A board pack (PDF or PowerPoint), made by a Celery task; downloadable by members once
    ready. A failed job stays failed: a new request makes a new job."""

    round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, default="nl")
    kind = models.CharField(max_length=4, choices=ReportKind.choices, default=ReportKind.PDF)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    pack = models.FileField(
        upload_to=pack_path, storage=private_storage, blank=True, editable=False
    )
    error = models.TextField(blank=True)
    # Renders started (a worker killed mid-render counts): the sweeper and the retries stop
    # at REPORT_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class FrozenResultsQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(withdrawn_at__isnull=True)


class FrozenResults(models.Model):
    """The results of a round as signed off: a snapshot every consumer of the signed round
    reads. Never changed after it is written; a withdrawal only marks it withdrawn, so the
    history keeps every snapshot that was once signed."""

    round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="frozen_results")
    data = models.JSONField(editable=False)
    frozen_at = models.DateTimeField(auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True, max_length=2000)

    objects = FrozenResultsQuerySet.as_manager()

    class Meta:
        ordering = ["-frozen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_frozen_results_in_force_per_round",
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = FrozenResults.objects.filter(pk=self.pk).values_list("data", flat=True).first()
            if stored is not None and stored != self.data:
                raise ValueError("Frozen results never change.")
        super().save(*args, **kwargs)


class ReleaseKind(models.TextChoices):
    CLOSING = "closing", _("At closing")
    INTERIM = "interim", _("Interim")


class Release(models.Model):
    """The figures of a round as published at one moment: at closing, or an interim release a
    consultant makes on purpose. Every output reads the round's latest release, never live
    answers, so nobody can difference one new answer out of the figures. The release keeps
    which respondents it counted and which figures it hid, so that the next release can be
    checked against it (``honeycomb.releases``)."""

    round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReleaseKind.choices)
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Ids of the submitted respondents it counted, and of those among them who answered through
    # an open link (they never lift a set over the threshold).
    respondent_ids = models.JSONField(default=list, editable=False)
    open_link_ids = models.JSONField(default=list, editable=False)
    hidden = models.JSONField(default=list, editable=False)  # keys of the figures it suppressed
    data = models.JSONField(editable=False)  # the results snapshot every output reads
    # The overall score of everyone, beside the snapshot so views across organisations (the
    # consultant's sector view) read one number per round instead of every snapshot.
    overall = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["round", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="one_release_number_per_round")
        ]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"
