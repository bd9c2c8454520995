from django.db import migrations

CONSULTANT_GROUP = "Adviseurs"
APPS = ("scan",)


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=CONSULTANT_GROUP)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"})
    wanted = [access]
    for model in ("maturitymodel", "organisation", "membership", "mailtemplate", "modelversion"):
        ct, _ = ContentType.objects.get_or_create(app_label="scan", model=model)
        for action in ("add", "change", "view", "publish", "lock", "unlock"):
            if model == "modelversion" and action != "view":
                continue
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            wanted.append(perm)
    group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("scan", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
