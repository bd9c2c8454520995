"""Who may do what in the scan: rounds, respondents and people. The machinery (``Policy``,
``Access``, ``organisation_view``) is the platform's, in core.permissions."""

from __future__ import annotations

from core.models import Role
from core.permissions import ALL_ROLES, Policy

MANAGE_ROUNDS = frozenset({Role.CONSULTANT})
MANAGE_RESPONDENTS = frozenset({Role.CONSULTANT, Role.COORDINATOR})
# Inviting, re-inviting, re-roling and removing people. The others see the list read-only.
MANAGE_PEOPLE = frozenset({Role.CONSULTANT})
# Asking the consultant for what only a consultant may do (open a round, start a new one):
# those who manage respondents but not rounds, so they are never stuck at a refusal.
ASK_CONSULTANT = MANAGE_RESPONDENTS - MANAGE_ROUNDS


# The scan's own capabilities (rounds, respondents, people).
SCAN_POLICY = Policy(
    {
        "view_organisation": ALL_ROLES,
        # Every member reads the log of who did what; nobody changes it.
        "read_audit_log": ALL_ROLES,
        "manage_rounds": MANAGE_ROUNDS,
        "manage_respondents": MANAGE_RESPONDENTS,
        "manage_people": MANAGE_PEOPLE,
        "ask_consultant": ASK_CONSULTANT,
    }
)
