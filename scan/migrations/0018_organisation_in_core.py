"""The organisation now lives in core (core.Organisation); the columns and their foreign keys
stay as they are, so only the migration state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('scan', '0017_reply_to_of_a_message'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='scanround',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='core.organisation', verbose_name='organisation'),
                ),
                migrations.AlterField(
                    model_name='mailtemplate',
                    name='organisation',
                    field=models.ForeignKey(blank=True, help_text='Empty: the default for every organisation without its own text.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mail_templates', to='core.organisation', verbose_name='organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
