"""Registrations only: what the improvement cycle adds to the honeycomb's pages and report."""

from wagtail import hooks

from . import report, selectors

hooks.register("klantraat_honeycomb_overlays", selectors.honeycomb_overlays)
hooks.register("klantraat_report_sections", report.sections)
