"""Organisation, Membership and AuditEvent moved from scan to core without copying data: a
database at the old state keeps its rows, and what pointed at the old content types
(permissions held by groups, Wagtail log entries) points at core's after migrating."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.models import User
from core.models import AuditEvent, AuditKind, Membership, Organisation, Role
from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

# Unapplying core 0001 takes every migration that builds on it along: the state before the
# move, which is scan 0017 (and what it builds on).
BEFORE = [("core", None)]
OLD_STATE = [("scan", "0017_reply_to_of_a_message")]


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE, state_at=OLD_STATE)
    yield apps
    migrate()  # also when the test failed half-way: the next tests need the schema


def test_rows_and_group_permissions_survive_the_move(old_apps):
    user = User.objects.create_user(email="coordinator@example.org", password="x")
    OldOrganisation = old_apps.get_model("scan", "Organisation")
    OldMembership = old_apps.get_model("scan", "Membership")
    OldAuditEvent = old_apps.get_model("scan", "AuditEvent")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")
    org = OldOrganisation.objects.create(name="Woonstichting Alfa", slug="alfa", city="Alfen")
    membership = OldMembership.objects.create(user_id=user.pk, organisation=org, role="coordinator")
    event = OldAuditEvent.objects.create(
        organisation=org, actor_id=user.pk, kind="role_change", detail={"user": "x"}
    )
    old_type, _ = OldContentType.objects.get_or_create(app_label="scan", model="organisation")
    change, _ = OldPermission.objects.get_or_create(
        content_type=old_type,
        codename="change_organisation",
        defaults={"name": "Can change organisation"},
    )
    group = OldGroup.objects.create(name="Organisation editors")
    group.permissions.add(change)
    OldGroup.objects.get(pk=group.pk).user_set.add(user.pk)
    entry = ModelLogEntry.objects.create(
        content_type_id=old_type.pk,
        object_id=str(org.pk),
        label="Woonstichting Alfa",
        action="wagtail.edit",
        timestamp=timezone.now(),
    )

    migrate()

    organisation = Organisation.objects.get(pk=org.pk)
    assert (organisation.slug, organisation.city) == ("alfa", "Alfen")
    assert Membership.objects.get(pk=membership.pk).role == Role.COORDINATOR
    assert Membership.objects.get(pk=membership.pk).organisation == organisation
    moved_event = AuditEvent.objects.get(pk=event.pk)
    assert (moved_event.kind, moved_event.organisation) == (AuditKind.ROLE_CHANGE, organisation)
    core_type = ContentType.objects.get_for_model(Organisation)
    assert core_type.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="scan", model="organisation").exists()
    assert ModelLogEntry.objects.get(pk=entry.pk).content_type == core_type
    assert Group.objects.get(pk=group.pk).permissions.get().content_type == core_type
    assert User.objects.get(pk=user.pk).has_perm("core.change_organisation")


def test_content_types_post_migrate_already_made_for_core_give_way_to_the_old_ones(old_apps):
    """A migrate that stopped half-way let post_migrate create core's content types; the old
    ones keep their ids, and what pointed at the new ones moves to them."""
    user = User.objects.create_user(email="editor@example.org", password="x")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")
    old_type, _ = OldContentType.objects.get_or_create(app_label="scan", model="membership")
    early_type = OldContentType.objects.create(app_label="core", model="membership")
    old_view, _ = OldPermission.objects.get_or_create(
        content_type=old_type, codename="view_membership", defaults={"name": "Can view"}
    )
    OldPermission.objects.filter(content_type=old_type, codename="change_membership").delete()
    early_view = OldPermission.objects.create(
        content_type=early_type, codename="view_membership", name="Can view membership"
    )
    # Only the early content type has this one: it moves over rather than being dropped.
    early_change = OldPermission.objects.create(
        content_type=early_type, codename="change_membership", name="Can change membership"
    )
    old_group = OldGroup.objects.create(name="Membership readers")
    old_group.permissions.add(old_view)
    early_group = OldGroup.objects.create(name="Membership editors")
    early_group.permissions.add(early_view, early_change)
    OldGroup.objects.get(pk=early_group.pk).user_set.add(user.pk)

    migrate()

    core_type = ContentType.objects.get(app_label="core", model="membership")
    assert core_type.pk == old_type.pk
    assert not ContentType.objects.filter(pk=early_type.pk).exists()
    assert set(
        Permission.objects.filter(content_type=core_type).values_list("codename", flat=True)
    ) >= {
        "view_membership",
        "change_membership",
    }
    assert Permission.objects.get(pk=early_change.pk).content_type == core_type
    assert not Permission.objects.filter(pk=early_view.pk).exists()
    assert Group.objects.get(pk=old_group.pk).permissions.get().pk == old_view.pk
    early = Group.objects.get(pk=early_group.pk).permissions.all()
    assert {p.content_type_id for p in early} == {core_type.pk}
    assert User.objects.get(pk=user.pk).has_perm("core.view_membership")
    assert User.objects.get(pk=user.pk).has_perm("core.change_membership")
