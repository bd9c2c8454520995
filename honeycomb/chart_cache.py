"""Drawn charts kept in the shared cache (Redis in production), keyed by everything they are
drawn from: building a plotly figure costs far more than the page around it, and a release's
figures do not change. The key is a digest of the inputs themselves (cells with their scores,
targets, notes and links, the labels, the language), so any change gives a new key and
nothing is ever stale; nothing is kept per process."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import plotly.graph_objects as go
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .charts import figure_html

KEEP_SECONDS = 7 * 24 * 3600


def cached_figure_html(build: Callable[[], go.Figure], *, div_id: str, drawn_from: tuple) -> str:
    """``figure_html(build())``, from the shared cache when these inputs were drawn before.
    ``drawn_from`` must hold every value the figure depends on, as plain values (their repr
    is the key)."""
    digest = hashlib.sha256(repr((div_id, get_language(), drawn_from)).encode()).hexdigest()
    key = f"honeycomb:chart:v1:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(figure_html(build(), div_id=div_id))
        cache.set(key, html, KEEP_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own figure_html output, stored as it was made)
