"""Accounts of consultants: CMS access through the consultants' permission group."""

from __future__ import annotations

# --- people ------------------------------------------------------------------------------

CONSULTANT_GROUP = "Adviseurs"


def consultant_grant_cms_access(user) -> None:
    """Consultants work in the CMS: staff flag plus the consultants' permission group."""
    from django.contrib.auth.models import Group

    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group, created = Group.objects.get_or_create(name=CONSULTANT_GROUP)
    if created:  # normally made by a migration; rebuilt if the table was emptied
        from django.contrib.auth.models import Permission

        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
            | Permission.objects.filter(content_type__app_label="scan").exclude(
                codename__in=["change_modelversion", "delete_modelversion", "add_modelversion"]
            )
        )
    user.groups.add(group)
