from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scan", "0005_outbox_and_mail_templates_per_organisation"),
        ("scan", "0005_round_signed_at"),
    ]

    operations = []
