"""Organisation, Membership and AuditEvent move from scan into core.

State only: the tables scan created (scan_organisation, scan_membership, scan_auditevent)
stay where they are, with their rows; the models name them in db_table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('scan', '0017_reply_to_of_a_message'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=160, unique=True, verbose_name='name')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='short name')),
                        ('city', models.CharField(blank=True, max_length=80, verbose_name='city')),
                        ('reply_to', models.EmailField(blank=True, help_text="Where replies to invitations, reminders and tenants' survey invitations go, e.g. your customer service. Empty: the mail asks not to reply.", max_length=254, verbose_name='reply-to address')),
                        ('group_kinds', models.JSONField(blank=True, default=list, editable=False, verbose_name='respondent groups')),
                        ('import_mapping', models.JSONField(blank=True, default=dict, editable=False, verbose_name='remembered import columns')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ],
                    options={
                        'verbose_name': 'organisation',
                        'verbose_name_plural': 'organisations',
                        'db_table': 'scan_organisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('login', 'Logged in'), ('login_failed', 'Failed login'), ('logout', 'Logged out'), ('role_change', 'Role changed'), ('link_revoked', 'Respondent links withdrawn'), ('export', 'Export'), ('sign_off', 'Review signed off'), ('sign_off_withdrawn', 'Sign-off withdrawn'), ('token_created', 'API token created'), ('token_revoked', 'API token revoked'), ('round_opened', 'Round opened'), ('round_closed', 'Round closed'), ('round_reopened', 'Round reopened'), ('invitations_queued', 'Invitations queued'), ('reminders_queued', 'Reminders queued'), ('member_invited', 'Person invited'), ('member_removed', 'Person removed'), ('round_deleted', 'Round deleted'), ('round_copied', 'Round set up as a copy'), ('respondent_deleted', 'Respondent removed'), ('open_link_created', 'Open link created'), ('open_link_revoked', 'Open link withdrawn'), ('release_made', 'Figures released'), ('round_edited', 'Round changed'), ('organisation_created', 'Organisation created'), ('consultant_asked', 'Consultant asked')], db_index=True, max_length=40, verbose_name='what')),
                        ('detail', models.JSONField(default=dict, verbose_name='detail')),
                        ('ip', models.CharField(blank=True, max_length=64, verbose_name='ip')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='audit_events', to='core.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit log',
                        'db_table': 'scan_auditevent',
                        'ordering': ['-at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('coordinator', 'Coordinator'), ('workgroup', 'Working-group member'), ('director', 'Director'), ('consultant', 'Consultant')], max_length=20, verbose_name='role')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='core.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'membership',
                        'verbose_name_plural': 'memberships',
                        'db_table': 'scan_membership',
                        'ordering': ['organisation__name', 'role'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'organisation'), name='one_role_per_organisation')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
