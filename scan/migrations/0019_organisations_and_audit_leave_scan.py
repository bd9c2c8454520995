"""Organisation, Membership and AuditEvent are core's now (core 0001): scan's migration state
lets go of them once every foreign key points at core's models. Their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0005_organisation_in_core'),
        ('core', '0001_initial'),
        ('pulse', '0009_organisation_in_core'),
        ('scan', '0018_organisation_in_core'),
        ('sso', '0002_organisation_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='AuditEvent',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Organisation',
                ),
            ],
            database_operations=[],
        ),
    ]
