"""Who may do what with the tenant pulse. A contract partner's own login holds the outside
role ``partner`` (granted in wagtail_hooks.py) and reaches only its own scorecard.

``handle_callbacks``: the tenant consented to be contacted by the corporation, so the contact
details of a call-back are shown only to the people of the corporation who call back — the
coordinator and the consultant. Never to the contract partner (the consent was not for the
contractor), nor to the working group or the director, who see figures and a count."""

from __future__ import annotations

from core.models import Role
from core.permissions import ALL_ROLES, Access, Policy, access_for

from .models import ContractPartner
from .selectors import PARTNER_ROLE

PULSE_POLICY = Policy(
    {
        "view_pulse": ALL_ROLES,
        # Every partner's scorecard; a partner's own logins read only their own
        # (scorecard_access).
        "view_scorecards": ALL_ROLES,
        "manage_pulse": {Role.CONSULTANT, Role.COORDINATOR},
        "handle_callbacks": {Role.CONSULTANT, Role.COORDINATOR},
        "read_open_answers": {Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR, PARTNER_ROLE},
    }
)


def scorecard_access(user, partner: ContractPartner, access: Access | None) -> Access | None:
    """Who reads this partner's scorecard: the corporation's people (``view_scorecards``) and
    this partner's own logins (the role ``partner``); None for everyone else. ``access`` is
    the one the organisation's subtree resolved, if any."""
    if access is None:
        access = access_for(user, partner.organisation)
    if PULSE_POLICY.allows(access, "view_scorecards"):
        return access
    if user.is_authenticated and partner.users.filter(pk=user.pk).exists():
        return Access(organisation=partner.organisation, role=PARTNER_ROLE, user=user)
    return None


def is_partner_login(access: Access) -> bool:
    """Whether a contract partner reads its own scorecard (the page speaks to the partner)."""
    return access.role == PARTNER_ROLE
