"""Who may do what in the improvement cycle."""

from __future__ import annotations

from scan.models import Organisation, Role

from .models import ImprovementAction, WorkingGroup


def member_role(user, organisation: Organisation) -> str | None:
    from scan.permissions import role_in

    return role_in(user, organisation)


def is_chair(user, organisation: Organisation) -> bool:
    return WorkingGroup.objects.filter(organisation=organisation, chair=user).exists()


def can_create_action(user, organisation: Organisation) -> bool:
    role = member_role(user, organisation)
    return (
        role in (Role.CONSULTANT, Role.COORDINATOR)
        or (
            role is not None
            and WorkingGroup.objects.filter(organisation=organisation, members=user).exists()
        )
        or role == Role.WORKGROUP
    )


def can_change_action(user, action: ImprovementAction) -> bool:
    """Only the owner, the working-group chair and consultants change an action."""
    role = member_role(user, action.organisation)
    if role is None:
        return False
    return (
        role == Role.CONSULTANT or action.owner_id == user.pk or is_chair(user, action.organisation)
    )
