"""Registrations only: what the tenant pulse adds to the honeycomb's cell pages and the
dashboard."""

from wagtail import hooks

from honeycomb.selectors import CELL_PANELS_HOOK, DASHBOARD_PANELS_HOOK

from . import panels

hooks.register(CELL_PANELS_HOOK, panels.cell_panels)
hooks.register(DASHBOARD_PANELS_HOOK, panels.dashboard_panels)
