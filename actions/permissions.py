"""Who may do what in the improvement cycle: one policy, asked by views, services and
templates (``can.sign_off``) alike. Rules that depend on an action (its owner, the working
group's chair) take the resolved access and the action."""

from __future__ import annotations

from core.models import Role
from core.permissions import ALL_ROLES, Access, Policy

from .models import ImprovementAction, WorkingGroup

ACTIONS_POLICY = Policy(
    {
        "view_cycle": ALL_ROLES,
        "set_ambition": {Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR},
        "manage_cycle": {Role.CONSULTANT, Role.COORDINATOR},
        "plan_evaluations": {Role.CONSULTANT},
        "write_summary": {Role.CONSULTANT},
        "sign_off": {Role.DIRECTOR},
        # Beside these roles, members of the working group add actions too (can_create_action).
        "create_actions": {Role.CONSULTANT, Role.COORDINATOR, Role.WORKGROUP},
        # Beside this role, an action's owner and the working group's chair (can_change_action).
        "change_any_action": {Role.CONSULTANT},
    }
)


def is_chair(access: Access) -> bool:
    return WorkingGroup.objects.filter(organisation=access.organisation, chair=access.user).exists()


def can_create_action(access: Access | None) -> bool:
    """Those whose role may (``create_actions``) and members of the working group."""
    if access is None:
        return False
    return ACTIONS_POLICY.allows(access, "create_actions") or (
        WorkingGroup.objects.filter(organisation=access.organisation, members=access.user).exists()
    )


def can_change_action(access: Access | None, action: ImprovementAction) -> bool:
    """Only the owner (a person, or the members of the owning working group), the working-group
    chair and those whose role may (``change_any_action``) change an action, and only in its
    own organisation."""
    if access is None or access.organisation.pk != action.organisation_id:
        return False
    if ACTIONS_POLICY.allows(access, "change_any_action") or action.owner_id == access.user.pk:
        return True
    if (
        action.working_group_id is not None
        and WorkingGroup.objects.filter(pk=action.working_group_id, members=access.user).exists()
    ):
        return True
    return is_chair(access)
