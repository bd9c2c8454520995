"""Who carries which actions: the working groups of an organisation and a person's own
actions across the organisations they belong to."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from core.models import Organisation

from .models import OPEN_STATUSES, ImprovementAction, WorkingGroup


def working_groups_of(organisation: Organisation) -> QuerySet[WorkingGroup]:
    """The organisation's working groups with their chair, members and open actions."""
    return (
        organisation.working_groups.select_related("chair")
        .prefetch_related("members")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)))
        .order_by("name")
    )


def my_actions(user) -> QuerySet[ImprovementAction]:
    """The actions ``user`` carries: owned by them or by a working group they are in, in every
    organisation they still belong to; open ones first, by due date."""
    return (
        ImprovementAction.objects.filter(
            Q(owner=user) | Q(working_group__members=user),
            organisation__memberships__user=user,
        )
        .select_related("organisation", "owner", "working_group")
        .distinct()
        .order_by("organisation__name", "due_on", "-priority", "pk")
    )


def lands_on_my_actions(user) -> bool:
    """A person whose only role is working-group member starts on their actions."""
    from core.models import Membership, Role

    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return roles == {Role.WORKGROUP}
