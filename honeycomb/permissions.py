"""Who may do what with a round's results."""

from __future__ import annotations

from core.models import Role
from core.permissions import ALL_ROLES, Policy

HONEYCOMB_POLICY = Policy(
    {
        "view_results": ALL_ROLES,
        # The Excel workbook and the board pack: the same figures, in a file that travels.
        "export_results": ALL_ROLES,
        "run_workshop": {Role.CONSULTANT},
        # An interim release is a deliberate act of the consultant who runs the scan.
        "make_interim_release": {Role.CONSULTANT},
        "revoke_member_tokens": {Role.COORDINATOR},
    }
)
