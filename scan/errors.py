"""The error every scan rule raises: its message is meant for the user."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

logger = logging.getLogger("klantraat.scan")
security_log = logging.getLogger("klantraat.security")


class ScanError(ValidationError):
    """A rule of the scan was broken; the message is meant for the user."""
