"""Rendered board packs move from a database column to the private storage, so every web and
worker machine reads the same files. Existing packs are copied as they are (a pack someone
already downloaded stays the same file), then the column goes (0009, a migration of its own so PostgreSQL
changes the table after the copy's transaction)."""

import django.utils.timezone
from django.db import migrations, models

import honeycomb.models


def packs_to_storage(apps, schema_editor):
    from django.core.files.base import ContentFile

    ReportJob = apps.get_model("honeycomb", "ReportJob")
    jobs = ReportJob.objects.exclude(file__isnull=True).select_related("round")
    for job in jobs.iterator(chunk_size=20):
        content = bytes(job.file)
        if not content:
            continue
        job.pack.save(f"board-pack.{job.kind}", ContentFile(content), save=False)
        ReportJob.objects.filter(pk=job.pk).update(pack=job.pack.name)


def packs_to_column(apps, schema_editor):
    ReportJob = apps.get_model("honeycomb", "ReportJob")
    for job in ReportJob.objects.exclude(pack="").iterator(chunk_size=20):
        with job.pack.open("rb") as handle:
            ReportJob.objects.filter(pk=job.pk).update(file=handle.read())


class Migration(migrations.Migration):
    dependencies = [
        ("honeycomb", "0007_release_overall_score"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="pack",
            field=models.FileField(
                blank=True,
                editable=False,
                storage=honeycomb.models.private_storage,
                upload_to=honeycomb.models.pack_path,
            ),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(packs_to_storage, packs_to_column, elidable=True),
    ]
