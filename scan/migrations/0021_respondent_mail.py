"""The outbox is core's now (core 0003 claims scan_outgoingmail and scan_undeliverableaddress
in its state, rows and all). What made a message a respondent's moves to scan.RespondentMail:
one row per respondent's message, copied from the outbox's columns (respondent, token,
sequence, and the kind for the one-per-kind-and-sequence rule); then those columns and the
rule leave the outbox's table, and scan's state lets go of the two models. Their content types
follow them to core."""

import django.db.models.deletion
from django.db import migrations, models

import scan.models.mail

COPY = """
INSERT INTO scan_respondentmail (message_id, respondent_id, token_id, kind, sequence)
SELECT id, respondent_id, token_id, kind, sequence FROM scan_outgoingmail
WHERE respondent_id IS NOT NULL
"""
COPY_BACK = """
UPDATE scan_outgoingmail SET
    respondent_id = (SELECT r.respondent_id FROM scan_respondentmail r WHERE r.message_id = scan_outgoingmail.id),
    token_id = (SELECT r.token_id FROM scan_respondentmail r WHERE r.message_id = scan_outgoingmail.id),
    sequence = COALESCE((SELECT r.sequence FROM scan_respondentmail r WHERE r.message_id = scan_outgoingmail.id), 1)
"""
MODELS = ("outgoingmail", "undeliverableaddress")


def _move_content_types(apps, schema_editor, source, target):
    """Rename the rows, so permissions on them keep pointing at the right ones. One made by
    post_migrate for the target already (a migrate that stopped half-way) gives way, with its
    permissions: nothing else points at the outbox's content types."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    for model in MODELS:
        old = ContentType.objects.using(alias).filter(app_label=source, model=model).first()
        if old is None:
            continue
        ContentType.objects.using(alias).filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def to_core(apps, schema_editor):
    _move_content_types(apps, schema_editor, "scan", "core")


def to_scan(apps, schema_editor):
    _move_content_types(apps, schema_editor, "core", "scan")


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_outbox'),
        ('scan', '0020_content_types_follow_to_core'),
    ]

    operations = [
        migrations.CreateModel(
            name='RespondentMail',
            fields=[
                ('message', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='respondent_mail', serialize=False, to='core.outgoingmail')),
                ('kind', models.CharField(choices=[('invitation', 'Invitation'), ('reminder', 'Reminder'), ('new_link', 'New link')], max_length=20, verbose_name='kind')),
                ('sequence', models.PositiveSmallIntegerField(default=1, verbose_name='sequence')),
                ('respondent', models.ForeignKey(on_delete=scan.models.mail.delete_with_message, related_name='mails', to='scan.respondent', verbose_name='respondent')),
                ('token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='scan.respondenttoken')),
            ],
            options={
                'verbose_name': 'respondent mail',
                'verbose_name_plural': 'respondent mails',
            },
        ),
        migrations.RunSQL(COPY, COPY_BACK),
        # The rule and the columns leave the outbox's table (the rule's name is taken up below).
        migrations.RemoveConstraint(
            model_name='outgoingmail',
            name='one_mail_per_kind_sequence',
        ),
        migrations.RemoveField(
            model_name='outgoingmail',
            name='respondent',
        ),
        migrations.RemoveField(
            model_name='outgoingmail',
            name='token',
        ),
        migrations.RemoveField(
            model_name='outgoingmail',
            name='sequence',
        ),
        migrations.AddConstraint(
            model_name='respondentmail',
            constraint=models.UniqueConstraint(fields=('respondent', 'kind', 'sequence'), name='one_mail_per_kind_sequence'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='UndeliverableAddress',
                ),
                migrations.DeleteModel(
                    name='OutgoingMail',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_core, to_scan),
    ]
