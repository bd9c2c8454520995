"""The content types of Organisation, Membership and AuditEvent follow the models to core.

Renaming the rows (app_label scan -> core) keeps every pointer to them: the permissions and
the groups that hold them, Wagtail's revisions, log entries, locks and reference index.

On a fresh database the rows do not exist yet (post_migrate creates them, for core, at the
end): nothing to do. If post_migrate already made core's rows (a migrate that stopped
half-way), the old rows win: what points at the new ones moves to the old ones, the new ones
go, and then the old ones are renamed.
"""

from django.db import IntegrityError, migrations, transaction

MODELS = ("organisation", "membership", "auditevent")


def _repoint(apps, schema_editor, old, new):
    """Move what points at content type ``new`` to ``old``; drop what would then be double."""
    alias = schema_editor.connection.alias
    Permission = apps.get_model("auth", "Permission")
    for perm in Permission.objects.using(alias).filter(content_type=new):
        twin = Permission.objects.using(alias).filter(
            content_type=old, codename=perm.codename
        ).first()
        if twin is None:
            perm.content_type = old
            perm.save(update_fields=["content_type"])
            continue
        for group in perm.group_set.all():
            group.permissions.add(twin)
        for user in perm.user_set.all():
            user.user_permissions.add(twin)
        perm.delete()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.many_to_one
                and field.concrete
                and field.related_model is not None
                and field.related_model._meta.label_lower == "contenttypes.contenttype"
                and model._meta.label_lower != "auth.permission"
            ):
                rows = model._base_manager.using(alias).filter(**{field.name: new})
                try:
                    with transaction.atomic(using=alias):
                        rows.update(**{field.name: old})
                except IntegrityError:
                    # The same thing already recorded against the old row.
                    rows.delete()


def _move(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    for model in MODELS:
        old = ContentType.objects.using(alias).filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.using(alias).filter(app_label=target, model=model).first()
        if new is not None:
            _repoint(apps, schema_editor, old, new)
            new.delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def to_core(apps, schema_editor):
    _move(apps, schema_editor, "scan", "core")


def to_scan(apps, schema_editor):
    _move(apps, schema_editor, "core", "scan")


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('scan', '0019_organisations_and_audit_leave_scan'),
    ]

    operations = [
        migrations.RunPython(to_core, to_scan),
    ]
