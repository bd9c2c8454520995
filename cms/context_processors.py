"""Template context for every page."""

from __future__ import annotations

from django.http import HttpRequest

from actions.permissions import ACTIONS_POLICY
from core.permissions import site_capabilities
from honeycomb.permissions import HONEYCOMB_POLICY
from pulse.permissions import PULSE_POLICY
from scan.permissions import SCAN_POLICY

ORGANISATION_POLICIES = (SCAN_POLICY, HONEYCOMB_POLICY, ACTIONS_POLICY, PULSE_POLICY)


def capabilities(request: HttpRequest) -> dict:
    """``can``: what the site-wide menu may offer the user and, on an organisation's pages,
    what each app's policy allows the person there (``can.sign_off``). Templates ask these,
    never a role or ``is_staff``."""
    user = getattr(request, "user", None)  # absent on pages made before authentication ran
    can = site_capabilities(user)
    access = getattr(request, "organisation_access", None)
    for policy in ORGANISATION_POLICIES:
        can.update(policy.capabilities(access))
    return {"can": can}
