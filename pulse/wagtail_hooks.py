"""Registrations only: what the tenant pulse adds to the honeycomb's cell pages, the dashboard,
the review and the trend, and the outside role of a contract partner's login."""

from wagtail import hooks

from honeycomb.selectors import (
    CELL_PANELS_HOOK,
    DASHBOARD_PANELS_HOOK,
    REVIEW_PANELS_HOOK,
    TREND_PANELS_HOOK,
)
from scan.permissions import EXTERNAL_ROLE_HOOK

from . import panels, panels_rounds, selectors

hooks.register(CELL_PANELS_HOOK, panels.cell_panels)
hooks.register(DASHBOARD_PANELS_HOOK, panels.dashboard_panels)
hooks.register(REVIEW_PANELS_HOOK, panels_rounds.review_panels)
hooks.register(TREND_PANELS_HOOK, panels_rounds.trend_panels)
hooks.register(EXTERNAL_ROLE_HOOK, selectors.contract_partner_role)
