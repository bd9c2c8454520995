"""The error every scan rule raises: its message is meant for the user."""

from __future__ import annotations

import logging

from core.errors import RuleError

logger = logging.getLogger("klantraat.scan")
security_log = logging.getLogger("klantraat.security")


# One class for every rule of the platform and the scan: a view that catches ScanError also
# shows a refused import or backup (core's RuleError) with its message.
ScanError = RuleError
