"""Who may do what with the tenant pulse. A contract partner's own login holds the outside
role ``partner`` (granted in wagtail_hooks.py) and reaches only its own scorecard."""

from __future__ import annotations

from scan.models import Role
from scan.permissions import ALL_ROLES, Policy

from .selectors import PARTNER_ROLE

PULSE_POLICY = Policy(
    {
        "view_pulse": ALL_ROLES,
        "manage_pulse": {Role.CONSULTANT, Role.COORDINATOR},
        "read_open_answers": {Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR, PARTNER_ROLE},
    }
)
