"""A coordinator makes an open link for a tenant panel evening, sees its QR code and copies
the link; a tenant opens it twice on the same phone and lands on the same wizard."""

import re
from urllib.parse import urlparse

import pytest

from core.models import Role
from scan.models import Respondent
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_shares_an_open_link_and_a_tenant_resumes(live_server, new_page, round_a):
    coordinator = factories.member(round_a.organisation, Role.COORDINATOR, email="co@alfa.nl")
    for i in range(3):
        factories.respondent(round_a, email=f"medewerker.met.een.lang.adres{i}@alfa.nl")
    page = new_page(width=375, height=800)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, coordinator.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/alfa/rounds/{round_a.pk}/")
    # On a phone the respondents table scrolls inside its own labelled region, not the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    region = page.locator(".table-scroll").filter(has=page.locator("table.respondents"))
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    page.locator("#open-links summary").click()
    date = page.locator("#id_open_closes_on")
    assert date.input_value() == round_a.closes_on.isoformat()  # the default is filled in
    page.select_option("#id_open_group", label="Huurders")
    page.fill("#id_open_cap", "25")
    page.get_by_role("button", name=re.compile("Open link maken|Create open link")).click()

    qr = page.locator("figure.qr svg")
    qr.wait_for()
    assert qr.bounding_box()["width"] > 100
    link = page.locator("#issued-link").input_value()
    button = page.get_by_role("button", name=re.compile("Link kopiëren|Copy link"))
    assert button.get_attribute("data-copy") == link
    button.click()
    page.locator(".copy-status").filter(has_text=re.compile("gekopieerd|copied")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    download = page.get_by_role("link", name=re.compile("QR-code|QR code"))
    assert "qr.svg" in download.get_attribute("href")

    # The tenant's phone: the link from the QR code, opened twice.
    open_url = live_server.url + urlparse(link).path
    phone = new_page(width=375, height=740)
    phone.goto(open_url)
    phone.get_by_role("button", name=re.compile("^(Start|Beginnen)$")).click()
    phone.get_by_role("link", name=re.compile("Begin met de scan|Start the scan")).click()
    phone.wait_for_url(re.compile(r"/r/[^/]+/"))
    wizard = urlparse(phone.url).path.split("/")[2]
    phone.goto(open_url)  # scanned again later, on the same phone
    phone.wait_for_url(re.compile(rf"/r/{re.escape(wizard)}/"))
    assert Respondent.objects.filter(round=round_a, open_link__isnull=False).count() == 1
