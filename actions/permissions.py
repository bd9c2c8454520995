"""Who may do what in the improvement cycle: one policy, asked by views, services and
templates (``can.sign_off``) alike. Rules that depend on an action (its owner, the working
group's chair) take the resolved access and the action."""

from __future__ import annotations

from scan.models import Role
from scan.permissions import ALL_ROLES, Access, Policy

from .models import ImprovementAction, WorkingGroup

ACTIONS_POLICY = Policy(
    {
        "view_cycle": ALL_ROLES,
        "set_ambition": {Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR},
        "manage_cycle": {Role.CONSULTANT, Role.COORDINATOR},
        "plan_evaluations": {Role.CONSULTANT},
        "write_summary": {Role.CONSULTANT},
        "sign_off": {Role.DIRECTOR},
    }
)


def is_chair(access: Access) -> bool:
    return WorkingGroup.objects.filter(organisation=access.organisation, chair=access.user).exists()


def can_create_action(access: Access | None) -> bool:
    """Consultants, coordinators, the working-group role and members of the working group."""
    if access is None:
        return False
    return access.role in (Role.CONSULTANT, Role.COORDINATOR, Role.WORKGROUP) or (
        WorkingGroup.objects.filter(organisation=access.organisation, members=access.user).exists()
    )


def can_change_action(access: Access | None, action: ImprovementAction) -> bool:
    """Only the owner (a person, or the members of the owning working group), a working-group
    chair and consultants change an action."""
    if access is None or access.organisation.pk != action.organisation_id:
        return False
    if access.role == Role.CONSULTANT or action.owner_id == access.user.pk:
        return True
    if (
        action.working_group_id is not None
        and WorkingGroup.objects.filter(pk=action.working_group_id, members=access.user).exists()
    ):
        return True
    return is_chair(access)
