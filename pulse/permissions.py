"""Who may do what with the tenant pulse. A contract partner's own login holds the outside
role ``partner`` (granted in wagtail_hooks.py) and reaches only its own scorecard.

``handle_callbacks``: the tenant consented to be contacted by the corporation, so the contact
details of a call-back are shown only to the people of the corporation who call back — the
coordinator and the consultant. Never to the contract partner (the consent was not for the
contractor), nor to the working group or the director, who see figures and a count."""

from __future__ import annotations

from scan.models import Role
from scan.permissions import ALL_ROLES, Policy

from .selectors import PARTNER_ROLE

PULSE_POLICY = Policy(
    {
        "view_pulse": ALL_ROLES,
        "manage_pulse": {Role.CONSULTANT, Role.COORDINATOR},
        "handle_callbacks": {Role.CONSULTANT, Role.COORDINATOR},
        "read_open_answers": {Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR, PARTNER_ROLE},
    }
)
