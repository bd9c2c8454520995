"""Personal API tokens move into the one token model in core (scope ``results:read``): every
row is copied whole (hash, name, dates, revoked, last used) under its own id, so audit events
that name a token still name the same one; then ApiToken goes. Reversible."""

from django.core.management.color import no_style
from django.db import migrations

RESULTS_READ = "results:read"
FIELDS = ("name", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at")


def _reset_sequence(schema_editor, model) -> None:
    # Rows were written with their own ids: the id sequence must continue after them.
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def copy_forward(apps, schema_editor):
    ApiToken = apps.get_model("honeycomb", "ApiToken")
    AccessToken = apps.get_model("core", "AccessToken")
    AccessToken.objects.bulk_create(
        AccessToken(
            pk=token.pk,
            scope=RESULTS_READ,
            user_id=token.user_id,
            created_by_id=token.user_id,
            **{field: getattr(token, field) for field in FIELDS},
        )
        for token in ApiToken.objects.order_by("pk").iterator()
    )
    _reset_sequence(schema_editor, AccessToken)


def copy_back(apps, schema_editor):
    ApiToken = apps.get_model("honeycomb", "ApiToken")
    AccessToken = apps.get_model("core", "AccessToken")
    tokens = AccessToken.objects.filter(scope=RESULTS_READ)
    originals = list(tokens.order_by("pk"))
    ApiToken.objects.bulk_create(
        ApiToken(pk=token.pk, user_id=token.user_id, **{f: getattr(token, f) for f in FIELDS})
        for token in originals
    )
    # created_at is auto_now_add there: saving set it to now, so it is put back row by row.
    for token in originals:
        ApiToken.objects.filter(pk=token.pk).update(created_at=token.created_at)
    tokens.delete()
    _reset_sequence(schema_editor, ApiToken)


class Migration(migrations.Migration):
    dependencies = [
        ("honeycomb", "0009_remove_reportjob_file"),
        ("core", "0002_access_tokens"),
    ]

    operations = [
        migrations.RunPython(copy_forward, copy_back),
        migrations.DeleteModel(name="ApiToken"),
    ]
