"""Every logged-in page on a 375 px phone, for every role; the language switch both ways."""

import re

import pytest

from tests import factories

from .conftest import login
from .test_accessibility import setting  # noqa: F401  (the same data as the axe-core checks)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 375
ROLES = ("consultant", "coordinator", "director", "workgroup")

# The ids every aria-describedby on the page points at, missing ones listed.
MISSING_DESCRIPTIONS = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
  el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id))
    .map(id => (el.id || el.name || el.tagName) + ' -> ' + id))"""


def logged_in_pages(setting) -> list[str]:  # noqa: F811
    pk, action = setting["round"].pk, setting["action"].pk
    return [
        "/start/",
        "/my-actions/",
        "/org/alfa/",
        "/org/alfa/audit/",
        "/org/alfa/rounds/new/",
        "/organisations/new/",
        f"/org/alfa/rounds/{pk}/",
        f"/org/alfa/rounds/{pk}/edit/",
        f"/org/alfa/rounds/{pk}/results/",
        f"/org/alfa/rounds/{pk}/results/cells/KP1/",
        f"/org/alfa/rounds/{pk}/results/compare/",
        f"/org/alfa/rounds/{pk}/results/trend/",
        f"/org/alfa/rounds/{pk}/workshop/",
        f"/org/alfa/rounds/{pk}/review/",
        "/org/alfa/cycle/actions/",
        "/org/alfa/cycle/actions/?view=board",
        f"/org/alfa/cycle/actions/{action}/",
        "/org/alfa/cycle/actions/new/",
        "/org/alfa/cycle/ambition/",
        "/org/alfa/cycle/dashboard/",
        "/org/alfa/cycle/schedule/",
        "/org/alfa/cycle/working-group/",
        "/account/api-tokens/",
        "/portfolio/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_logged_in_page_fits_a_phone(live_server, new_page, setting, people, role):  # noqa: F811
    page = new_page(width=PHONE, height=800)
    page.set_default_timeout(60_000)  # a shared machine: pages with charts can be slow
    login(page, live_server, people[f"{role}_a"].email, factories.PASSWORD)
    problems = []
    for path in logged_in_pages(setting):
        response = page.goto(live_server.url + path)
        if response.status >= 400:
            continue  # not this role's page, or a page that only takes a POST
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide = page.evaluate(
                """w => [...document.querySelectorAll('body *')].filter(el => {
                  const r = el.getBoundingClientRect();
                  return r.right > w + 1 && !el.closest('.table-wrap, .table-scroll, .js-plotly-plot');
                }).slice(0, 3).map(el => el.tagName + '.' + el.className)""",
                PHONE,
            )
            problems.append(f"{path}: {width}px wide ({wide})")
        missing = page.evaluate(MISSING_DESCRIPTIONS)
        if missing:
            problems.append(f"{path}: aria-describedby points nowhere: {missing}")
    assert problems == [], "\n".join(problems)


def test_the_header_collapses_into_a_menu_button(live_server, new_page, setting, people):  # noqa: F811
    page = new_page(width=PHONE, height=800)
    page.set_default_timeout(60_000)
    login(page, live_server, people["consultant_a"].email, factories.PASSWORD)
    button = page.locator(".menu-toggle")
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu"
    assert not page.locator("#site-menu").is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-menu").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#site-menu").is_visible()
    wide = new_page(width=1280, height=800)
    wide.set_default_timeout(60_000)
    login(wide, live_server, people["consultant_a"].email, factories.PASSWORD)
    assert not wide.locator(".menu-toggle").is_visible()
    assert wide.locator("#site-menu").is_visible()


@pytest.fixture
def site_pages(db):
    from cms.demo import ensure_pages

    return ensure_pages()


def _switch(page, to: str) -> None:
    if page.locator(".menu-toggle").is_visible():
        page.locator(".menu-toggle").click()
    page.locator(f".language-switch button[value={to}]").click()
    page.wait_for_load_state("networkidle")


def test_language_switch_goes_both_ways(live_server, new_page, setting, people, site_pages):  # noqa: F811
    page = new_page(width=1280, height=900)
    page.set_default_timeout(60_000)
    base = live_server.url
    # Home page.
    page.goto(base + "/")
    _switch(page, "en")
    assert page.url == base + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    _switch(page, "nl")
    assert page.url == base + "/"
    assert page.locator("html").get_attribute("lang") == "nl"
    # A wizard step keeps its step.
    token = setting["token"]
    page.goto(f"{base}/r/{token}/KP1/")
    _switch(page, "en")
    assert page.url == f"{base}/en/r/{token}/KP1/"
    _switch(page, "nl")
    assert page.url == f"{base}/r/{token}/KP1/"
    # A results page keeps its query string.
    login(page, live_server, people["consultant_a"].email, factories.PASSWORD)
    results = f"/org/alfa/rounds/{setting['round'].pk}/results/?group=staff"
    page.goto(base + results)
    _switch(page, "en")
    assert page.url == base + "/en" + results
    assert re.search(r"Results|Honeycomb", page.content())
    _switch(page, "nl")
    assert page.url == base + results
    assert page.locator("html").get_attribute("lang") == "nl"


def test_phone_honeycomb_shows_codes(live_server, new_page, setting, people):  # noqa: F811
    page = new_page(width=PHONE, height=800)
    page.set_default_timeout(60_000)
    login(page, live_server, people["director_a"].email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/alfa/rounds/{setting['round'].pk}/results/")
    page.wait_for_selector("#honeycomb-chart .main-svg")
    chart = page.locator("#honeycomb-chart").inner_text()
    assert "KP1" in chart and "Reparaties" not in chart
    wide = new_page(width=1280, height=900)
    wide.set_default_timeout(60_000)
    login(wide, live_server, people["director_a"].email, factories.PASSWORD)
    wide.goto(f"{live_server.url}/org/alfa/rounds/{setting['round'].pk}/results/")
    wide.wait_for_selector("#honeycomb-chart .main-svg")
    assert "KP1" not in wide.locator("#honeycomb-chart").inner_text()
