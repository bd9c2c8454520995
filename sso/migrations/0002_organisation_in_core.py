"""The organisation now lives in core (core.Organisation); the column and its foreign key stay as they are, so only the migration state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('sso', '0001_identity_providers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='identityprovider',
                    name='organisation',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='identity_provider', to='core.organisation', verbose_name='organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
