"""Template context for every page."""

from __future__ import annotations

from django.http import HttpRequest

from scan.permissions import site_capabilities


def capabilities(request: HttpRequest) -> dict:
    """``can``: what the site-wide menu may offer the user, decided in scan.permissions."""
    user = getattr(request, "user", None)  # absent on pages made before authentication ran
    return {"can": site_capabilities(user)}
