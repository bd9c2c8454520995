"""The organisation now lives in core (core.Organisation); the column and its foreign key stay as they are, so only the migration state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('pulse', '0008_invitations_sent_by_the_outbox'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='callback',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='contractpartner',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contract_partners', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='customermoment',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='customer_moments', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='ingesttoken',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='pulseevent',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pulse_events', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='pulsemonthly',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='pulseresponse',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pulse_responses', to='core.organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
