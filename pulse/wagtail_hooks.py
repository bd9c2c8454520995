"""Registrations only: what the tenant pulse adds to the honeycomb's cell pages, the dashboard,
the review and the trend, and the outside role of a contract partner's login."""

from wagtail import hooks

from core.permissions import EXTERNAL_ROLE_HOOK
from honeycomb.extensions import (
    register_cell_panels,
    register_dashboard_panels,
    register_review_panels,
    register_trend_panels,
)

from . import panels, panels_rounds, selectors

register_cell_panels(panels.cell_panels)
register_dashboard_panels(panels.dashboard_panels)
register_review_panels(panels_rounds.review_panels)
register_trend_panels(panels_rounds.trend_panels)
hooks.register(EXTERNAL_ROLE_HOOK, selectors.contract_partner_role)
