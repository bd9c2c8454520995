"""The error every rule raises, in every app: its message is meant for the user."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class RuleError(ValidationError):
    """A rule was broken; the message is meant for the user (the scan's ``ScanError``, an
    import refused, a backup refused)."""
