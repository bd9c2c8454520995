"""Registrations only: what the tenant pulse adds to the honeycomb's cell pages and the
dashboard, and the outside role of a contract partner's login."""

from wagtail import hooks

from honeycomb.selectors import CELL_PANELS_HOOK, DASHBOARD_PANELS_HOOK
from scan.permissions import EXTERNAL_ROLE_HOOK

from . import panels, selectors
from .selectors import PARTNER_ROLE

hooks.register(CELL_PANELS_HOOK, panels.cell_panels)
hooks.register(DASHBOARD_PANELS_HOOK, panels.dashboard_panels)


@hooks.register(EXTERNAL_ROLE_HOOK)
def contract_partner_role(user, organisation) -> str | None:
    """A contract partner's own login reaches the organisation's subtree (its scorecards);
    every view there still checks the role it allows."""
    return PARTNER_ROLE if selectors.is_partner_login(user, organisation) else None
