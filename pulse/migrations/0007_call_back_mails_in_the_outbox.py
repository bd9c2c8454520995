"""Call-back mails leave through the one outbox (scan.OutgoingMail): mails not yet sent move
there, with the same once-per-recipient key; the table of their own goes."""

from django.db import migrations


def move_unsent(apps, schema_editor):
    CallBackMail = apps.get_model("pulse", "CallBackMail")
    OutgoingMail = apps.get_model("scan", "OutgoingMail")
    OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(
                kind="call_back",
                recipient=mail.recipient.email,
                subject=mail.subject,
                body=mail.body,
                ref_id=mail.recipient_id,
                key=f"call-back:{mail.recipient_id}:{mail.key}",
                next_attempt_at=mail.created_at,
            )
            for mail in CallBackMail.objects.filter(sent_at__isnull=True, failed=False)
            .select_related("recipient")
            .iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pulse", "0006_merge_call_backs_and_delivery_status"),
        ("scan", "0016_outbox_for_every_message"),
    ]

    operations = [
        migrations.RunPython(move_unsent, migrations.RunPython.noop),
        migrations.DeleteModel(name="CallBackMail"),
    ]
