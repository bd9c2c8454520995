"""The site's frame (menu and footer), built once per host and language and kept in the cache.

Every page shows it; without the cache it costs five queries per request (site, locale, menu
pages, site settings, footer links). Publishing, moving or deleting a page and saving the
site settings start a new cache generation, so editors see their change at once.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import expand_db_html

GENERATION_KEY = "site-frame:generation"
TIMEOUT = 60 * 60


def site_frame(request: HttpRequest | None) -> dict:
    """Menu links and footer content for this request's site in the active language."""
    if request is None:
        return _build(None, get_language())
    language = get_language() or "nl"
    memo = getattr(request, "_site_frame", None)
    if memo and memo[0] == language:
        return memo[1]
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    key = f"site-frame:{generation}:{request.get_host()}:{language}"
    frame = cache.get(key)
    if frame is None:
        frame = _build(request, language)
        cache.set(key, frame, TIMEOUT)
    request._site_frame = (language, frame)  # type: ignore[attr-defined]  # per request
    return frame


def invalidate_site_frame(sender=None, created: bool = False, **_kwargs) -> None:
    """Start a new generation: every cached frame is rebuilt on its next request. Settings
    made empty on first use (``for_site``) change nothing shown."""
    from cms.models import SiteSettings

    if created and sender is SiteSettings:
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _build(request: HttpRequest | None, language: str) -> dict:
    from cms.models import SiteSettings

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"menu": [], "organisation_name": "", "footer_html": "", "links": [], "email": ""}
    settings = SiteSettings.for_site(site)
    english = language != "nl"
    footer = settings.footer_text_en if english else settings.footer_text
    return {
        "menu": [
            {"pk": page.pk, "url": page.get_url(request), "title": page.title}
            for page in _menu_pages(site)
        ],
        "organisation_name": settings.organisation_name,
        "footer_html": expand_db_html(footer) if footer else "",
        "links": [
            {
                "url": link.page.localized.get_url(request),
                "label": (link.label_en if english and link.label_en else link.label),
            }
            for link in settings.footer_links.select_related("page")
        ],
        "email": settings.contact_email,
    }


def _menu_pages(site: Site):
    root = site.root_page
    try:
        root = root.get_translation(Locale.get_active())
    except (Locale.DoesNotExist, Page.DoesNotExist):
        pass
    return root.get_children().live().in_menu().specific()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cms.models import FooterLink, SiteSettings

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_site_frame, dispatch_uid=f"site-frame-{id(signal)}")
    for model in (SiteSettings, FooterLink, Site, Page):
        post_save.connect(invalidate_site_frame, sender=model, dispatch_uid=f"sf-save-{model}")
        post_delete.connect(invalidate_site_frame, sender=model, dispatch_uid=f"sf-del-{model}")
