import datetime as dt

from django.db import migrations, models


def expire_a_year_after_creation(apps, schema_editor):
    """Tokens made before tokens expired get the same year as new ones, counted from their
    creation: one that is older than a year stops working."""
    ApiToken = apps.get_model("honeycomb", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + dt.timedelta(days=365)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("honeycomb", "0004_board_pack_in_pdf_or_powerpoint"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_a_year_after_creation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
