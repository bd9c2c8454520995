"""The menu and footer come from the cache, and an editor's change shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.demo import ensure_pages
from cms.models import ContentPage, SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return ensure_pages()


def site_queries(ctx) -> int:
    names = ('"wagtailcore_site"', '"wagtailcore_page"', '"cms_sitesettings"', '"cms_footerlink"')
    return sum(1 for q in ctx.captured_queries if any(n in q["sql"] for n in names))


def test_the_second_request_reads_menu_and_footer_from_the_cache(client, home):
    client.get("/login/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/login/").content.decode()
    assert site_queries(ctx) == 0
    assert "Over de methode" in html and "contact@klantraat.nl" in html


def test_a_changed_footer_shows_at_once(client, home):
    client.get("/login/")
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "nieuw@corporatie.nl"
    settings.save()
    assert "nieuw@corporatie.nl" in client.get("/login/").content.decode()


def test_a_published_and_an_unpublished_menu_page_show_at_once(client, home):
    client.get("/login/")
    page = ContentPage(title="Nieuws", slug="nieuws", show_in_menus=True, locale=home.locale)
    home.add_child(instance=page)
    page.save_revision().publish()
    assert ">Nieuws</a>" in client.get("/login/").content.decode()
    page.unpublish()
    assert ">Nieuws</a>" not in client.get("/login/").content.decode()


def test_each_language_has_its_own_frame(client, home):
    client.get("/login/")
    assert "About the method" in client.get("/en/login/").content.decode()
    assert "Over de methode" in client.get("/login/").content.decode()
