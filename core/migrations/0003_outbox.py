"""The outbox moves from scan into core: OutgoingMail and UndeliverableAddress.

State only: the tables scan created (scan_outgoingmail, scan_undeliverableaddress) stay where
they are, with every queued message; the models name them in db_table. What is about a
respondent (their link, its token, the one-per-kind-and-sequence rule) stays the scan's, in
scan.RespondentMail (scan 0021), which also drops those columns from the table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_access_tokens'),
        # The tables as the scan left them.
        ('scan', '0017_reply_to_of_a_message'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='UndeliverableAddress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('address_key', models.CharField(max_length=64, unique=True)),
                        ('delivery', models.CharField(choices=[('delivered', 'delivered'), ('soft_bounce', 'not delivered yet'), ('hard_bounce', 'not delivered'), ('rejected', 'not delivered: refused by the mail service'), ('complained', 'marked as spam')], max_length=12)),
                        ('reason', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'undeliverable address',
                        'verbose_name_plural': 'undeliverable addresses',
                        'db_table': 'scan_undeliverableaddress',
                    },
                ),
                migrations.CreateModel(
                    name='OutgoingMail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider_message_id', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('delivery', models.CharField(blank=True, choices=[('delivered', 'delivered'), ('soft_bounce', 'not delivered yet'), ('hard_bounce', 'not delivered'), ('rejected', 'not delivered: refused by the mail service'), ('complained', 'marked as spam')], max_length=12, verbose_name='delivery')),
                        ('delivery_reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                        ('delivery_at', models.DateTimeField(blank=True, null=True, verbose_name='reported at')),
                        ('channel', models.CharField(choices=[('email', 'e-mail'), ('sms', 'SMS')], default='email', max_length=5, verbose_name='channel')),
                        ('recipient', models.CharField(blank=True, max_length=254, verbose_name='recipient')),
                        ('reply_to', models.EmailField(blank=True, max_length=254, verbose_name='reply-to address')),
                        ('ref_id', models.BigIntegerField(blank=True, null=True)),
                        ('key', models.CharField(blank=True, max_length=120, null=True, unique=True)),
                        ('link_nonce', models.CharField(blank=True, max_length=32)),
                        ('claim', models.CharField(blank=True, max_length=32)),
                        ('kind', models.CharField(db_index=True, max_length=20, verbose_name='kind')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sent', 'Sent'), ('failed', 'Failed'), ('cancelled', 'Not needed any more')], db_index=True, default='queued', max_length=10, verbose_name='status')),
                        ('subject', models.CharField(blank=True, max_length=300, verbose_name='subject')),
                        ('body', models.TextField(blank=True, verbose_name='text')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='claimed at')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                    ],
                    options={
                        'verbose_name': 'outgoing mail',
                        'verbose_name_plural': 'outgoing mails',
                        'db_table': 'scan_outgoingmail',
                        'ordering': ['created_at'],
                        'indexes': [models.Index(fields=['kind', 'ref_id'], name='outbox_kind_ref'), models.Index(fields=['status', 'next_attempt_at'], name='outbox_due')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
