from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scan", "0006_merge_outbox_and_signed_rounds"),
        ("scan", "0005_translatable_labels_and_group_descriptors"),
    ]

    operations = []
