"""The organisation now lives in core (core.Organisation); the column and its foreign key stay as they are, so only the migration state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0004_several_working_groups_owning_actions'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='ambition',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ambitions', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='evaluationschedule',
                    name='organisation',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_schedule', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='externalmeasure',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='external_measures', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='improvementaction',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='workinggroup',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='working_groups', to='core.organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
