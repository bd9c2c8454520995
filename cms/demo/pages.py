"""Demo content pages: the home page and the content pages in Dutch and English, the footer."""

from __future__ import annotations

from wagtail.models import Locale, Page, Site

from ..content.pages import HOME, PAGES, PageText
from ..models import ContentPage, HomePage, SiteSettings


def _ensure_locales() -> tuple[Locale, Locale]:
    nl, _ = Locale.objects.get_or_create(language_code="nl")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return nl, en


def _fill(page, content: PageText) -> None:
    page.title = content["title"]
    page.intro = content["intro"]
    page.body = [(kind, value) for kind, value in content["body"]]


def _publish(page) -> None:
    page.save_revision().publish()


def ensure_pages() -> HomePage:
    nl, en = _ensure_locales()
    # A flushed database (browser tests) has lost the tree root that migrations made.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=nl)
    )
    home = HomePage.objects.filter(locale=nl).first()
    if home is None:
        home = HomePage(slug="klantraat", locale=nl)
        _fill(home, HOME["nl"])
        root.add_child(instance=home)
        _publish(home)
        site = Site.objects.filter(is_default_site=True).first()
        if site:
            old_root = site.root_page
            site.root_page, site.site_name = home, "Klantraat"
            site.hostname, site.port = "127.0.0.1", 8000
            site.save()
            if old_root.pk != home.pk and not old_root.specific_class == HomePage:
                old_root.delete()
        else:
            Site.objects.create(
                hostname="127.0.0.1",
                port=8000,
                root_page=home,
                is_default_site=True,
                site_name="Klantraat",
            )
    if not home.has_translation(en):
        home_en = home.copy_for_translation(en)
        _fill(home_en, HOME["en"])
        _publish(home_en)
    home_en = home.get_translation(en)
    for spec in PAGES:
        page = ContentPage.objects.filter(locale=nl, slug=spec["slug"]).first()
        if page is None:
            page = ContentPage(
                slug=spec["slug"], locale=nl, show_in_menus=spec["slug"] != "privacy"
            )
            _fill(page, spec["nl"])
            home.add_child(instance=page)
            _publish(page)
        if not page.has_translation(en):
            translated = page.copy_for_translation(en)
            _fill(translated, spec["en"])
            translated.show_in_menus = page.show_in_menus
            _publish(translated)
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.footer_text:
        site_settings.organisation_name = "Klantraat"
        site_settings.footer_text = "<p>Klantgerichtheid meten en verbeteren, samen met medewerkers, partners en huurders.</p>"
        site_settings.contact_email = "contact@klantraat.nl"
        site_settings.privacy_page = ContentPage.objects.filter(locale=nl, slug="privacy").first()
        site_settings.save()
    if not site_settings.footer_text_en:
        site_settings.footer_text_en = (
            "<p>Measuring and improving customer orientation, together with staff, partners and "
            "tenants.</p>"
        )
        site_settings.save()
    assert home_en is not None
    return home
