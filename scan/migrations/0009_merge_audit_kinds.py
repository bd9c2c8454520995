from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scan", "0008_outgoing_mail_labels"),
        ("scan", "0005_audit_event_kinds"),
    ]

    operations = []
