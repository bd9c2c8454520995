"""Registrations only: what the tenant pulse adds to the honeycomb's cell pages and the
dashboard, and the outside role of a contract partner's login."""

from wagtail import hooks

from honeycomb.selectors import CELL_PANELS_HOOK, DASHBOARD_PANELS_HOOK
from scan.permissions import EXTERNAL_ROLE_HOOK

from . import panels, selectors

hooks.register(CELL_PANELS_HOOK, panels.cell_panels)
hooks.register(DASHBOARD_PANELS_HOOK, panels.dashboard_panels)
hooks.register(EXTERNAL_ROLE_HOOK, selectors.contract_partner_role)
