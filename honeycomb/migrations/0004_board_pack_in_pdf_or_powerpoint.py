from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("honeycomb", "0003_frozen_results")]

    operations = [
        migrations.RenameField(model_name="reportjob", old_name="pdf", new_name="file"),
        migrations.AddField(
            model_name="reportjob",
            name="kind",
            field=models.CharField(
                choices=[("pdf", "PDF"), ("pptx", "PowerPoint")], default="pdf", max_length=4
            ),
        ),
    ]
