"""What other apps hand the honeycomb through its hooks, as types both sides are checked
against: a hook that returns something else fails mypy, not a page.

The honeycomb never imports the apps that build on it (actions, pulse); they import these
types and register functions of the matching shape in their ``wagtail_hooks.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from wagtail import hooks

if TYPE_CHECKING:
    from core.models import Organisation
    from scan.models import ScanRound


@dataclass(frozen=True)
class PanelTable:
    """A table in a panel: the first column of each row is its label."""

    head: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Panel:
    """A section another app adds below a page of the honeycomb (templates/components/panels.html)."""

    title: str
    lines: list[str] = field(default_factory=list)
    table: PanelTable | None = None
    url: str = ""
    link_text: str = ""


class RoundCellPanels(Protocol):
    """``klantraat_cell_panels`` and ``klantraat_trend_panels``: a round's cell, in a language."""

    def __call__(self, scan_round: ScanRound, cell_code: str, language: str) -> list[Panel]: ...


class RoundPanels(Protocol):
    """``klantraat_review_panels``: a round, in a language."""

    def __call__(self, scan_round: ScanRound, language: str) -> list[Panel]: ...


class OrganisationPanels(Protocol):
    """``klantraat_dashboard_panels``: an organisation's dashboard, in a language."""

    def __call__(self, organisation: Organisation, language: str) -> list[Panel]: ...


CELL_PANELS_HOOK = "klantraat_cell_panels"
DASHBOARD_PANELS_HOOK = "klantraat_dashboard_panels"
REVIEW_PANELS_HOOK = "klantraat_review_panels"
TREND_PANELS_HOOK = "klantraat_trend_panels"


# Registering through these (not ``hooks.register`` with a name) lets mypy check that the
# function has the hook's shape.
def register_cell_panels(hook: RoundCellPanels) -> None:
    hooks.register(CELL_PANELS_HOOK, hook)


def register_trend_panels(hook: RoundCellPanels) -> None:
    hooks.register(TREND_PANELS_HOOK, hook)


def register_review_panels(hook: RoundPanels) -> None:
    hooks.register(REVIEW_PANELS_HOOK, hook)


def register_dashboard_panels(hook: OrganisationPanels) -> None:
    hooks.register(DASHBOARD_PANELS_HOOK, hook)
