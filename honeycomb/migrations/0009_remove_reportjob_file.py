from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("honeycomb", "0008_report_packs_in_private_storage"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="reportjob",
            name="file",
        ),
    ]
