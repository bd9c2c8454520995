"""An organisation's ingest tokens move into the one token model in core (scope
``pulse:events``): every row is copied whole (hash, name, creator, dates, revoked, last used),
then IngestToken goes. They get new ids after the personal tokens, which keep theirs (so this
runs after the honeycomb's copy). Reversible."""

from django.db import migrations
from django.utils import timezone

PULSE_EVENTS = "pulse:events"
FIELDS = ("name", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at")


def copy_forward(apps, schema_editor):
    IngestToken = apps.get_model("pulse", "IngestToken")
    AccessToken = apps.get_model("core", "AccessToken")
    now = timezone.now()
    copies = []
    for token in IngestToken.objects.order_by("pk").iterator():
        copy = AccessToken(
            scope=PULSE_EVENTS,
            organisation_id=token.organisation_id,
            created_by_id=token.created_by_id,
            **{field: getattr(token, field) for field in FIELDS},
        )
        # Only the pulse's own scope ever authenticated: a token of any other stays refused.
        if token.scope != PULSE_EVENTS and copy.revoked_at is None:
            copy.revoked_at = now
        copies.append(copy)
    AccessToken.objects.bulk_create(copies)


def copy_back(apps, schema_editor):
    IngestToken = apps.get_model("pulse", "IngestToken")
    AccessToken = apps.get_model("core", "AccessToken")
    tokens = AccessToken.objects.filter(scope=PULSE_EVENTS)
    IngestToken.objects.bulk_create(
        IngestToken(
            scope=PULSE_EVENTS,
            organisation_id=token.organisation_id,
            created_by_id=token.created_by_id,
            **{field: getattr(token, field) for field in FIELDS},
        )
        for token in tokens.order_by("pk").iterator()
    )
    tokens.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pulse", "0009_organisation_in_core"),
        ("honeycomb", "0010_api_tokens_into_access_tokens"),
        ("core", "0002_access_tokens"),
    ]

    operations = [
        migrations.RunPython(copy_forward, copy_back),
        migrations.DeleteModel(name="IngestToken"),
    ]
