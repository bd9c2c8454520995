"""Work a web process does once, before its first request: without it the first visitor of
every worker waits for the URL configuration (which imports every view and, through them,
pandas and plotly), the URL names of each language, the templates and the cache client, a
quarter of a second or more after each restart or deploy."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def project_templates() -> list[str]:
    """The names of the project's own page templates (``templates/``, not the CMS admin's)."""
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.html"))


def warm_up() -> int:
    """Load the URL configuration and its names in every language, compile the project's
    templates into the template loader's cache (kept only where templates are cached, that is
    with DEBUG off) and open the cache client. Returns how many templates were compiled."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (the property fills the names of this language)
    for backend in engines.all():
        if isinstance(backend, DjangoTemplates):  # the property imports the context processors
            backend.engine.template_context_processors  # noqa: B018
    names = project_templates()
    for name in names:
        get_template(name)  # a broken template fails the start, not a visitor's request
    try:
        cache.get("klantraat:warm-up")
    except Exception:  # noqa: BLE001 (an unreachable cache is reported by the requests that use it)
        logger.warning("The cache did not answer while the web process started.")
    return len(names)
