"""Ids from query strings and forms. ``str.isdigit`` is not enough: it accepts "²" and "٣",
which ``int`` refuses, and a 30-digit number no database column can hold; both used to give a
server error instead of "not found"."""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1  # the largest id a 64-bit integer column (and SQLite) holds


def parse_id(value: Any) -> int | None:
    """A positive id, or None for anything else (empty, "abc", "-1", "²", too large)."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
