"""Under the Content Security Policy (no inline script, no inline style, not even a style
attribute) every chart still draws, in its own styling, and the browser reports no violation
on the pages people use, at desktop and phone width."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from honeycomb.models import ReportJob
from pulse import services as pulse
from pulse.models import ContractPartner
from tests import factories

from .conftest import login
from .test_accessibility import (  # noqa: F401  (the same data as the axe-core checks)
    handled,
    setting,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 375)
# Added before any script of the page runs: collects every violation the browser reports.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " "
    + (e.sourceFile || "") + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""
CHARTS_DRAWN = """() => {
  const plots = [...document.querySelectorAll("[data-plot]")];
  return plots.length > 0 && plots.every(p => p.querySelector(".main-svg"));
}"""
# plotly.js's rules come from static/vendor/plotly.css (its own <style> element is refused),
# and the bold of chart texts is set through CSSOM.
CHART_STYLING = """() => {
  const svg = document.querySelector(".js-plotly-plot .plotly .main-svg");
  const bold = [...document.querySelectorAll("[data-plot] .main-svg tspan, [data-plot] text")]
    .some(t => Number(getComputedStyle(t).fontWeight) >= 600);
  return {
    position: getComputedStyle(svg).position,
    styleElements: document.querySelectorAll("style").length,
    bold: bold,
  };
}"""


def open_page(new_page, width: int):
    page = new_page(width=width, height=900)
    page.set_default_timeout(60_000)
    page.context.add_init_script(LISTEN)
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, messages


def visit(page, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "style-src-attr 'none'" in policy, url
    page.wait_for_load_state("networkidle")
    collect(page, url, problems)


def collect(page, where: str, problems: list[str]) -> None:
    width = page.viewport_size["width"]
    found = page.evaluate("window.__violations.splice(0)")
    problems += [f"{width}px {where}: {v}" for v in found]


def hover_a_cell(page) -> bool:
    """Move the pointer over the honeycomb as a person would, until a hover label shows (its
    text has bold and line breaks too)."""
    area = page.locator("[data-plot] .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    for fy in (0.3, 0.4, 0.5, 0.6, 0.7):
        for fx in (0.3, 0.4, 0.5, 0.6, 0.7):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            page.wait_for_timeout(100)
            if page.locator(".hoverlayer .hovertext").count():
                return True
    return False


@pytest.fixture
def partner(org_a):
    pulse.moments_install_defaults(organisation=org_a)
    pulse.events_ingest(
        organisation=org_a,
        items=[
            pulse.EventInput(
                source_id=f"WO-{n}",
                moment="reparatie",
                occurred_on=(timezone.localdate() - dt.timedelta(days=3)).isoformat(),
                partner="Bouwbedrijf Jansen",
                area="Complex 12",
                email=f"huurder{n}@example.nl",
                phone="",
            )
            for n in range(3)
        ],
    )
    return ContractPartner.objects.get(organisation=org_a)


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_draw_under_the_policy_without_a_violation(
    live_server,
    new_page,
    setting,  # noqa: F811
    people,
    partner,
    width,
):
    page, messages = open_page(new_page, width)
    base, problems = live_server.url, []
    visit(page, base + reverse("cms:login"), problems)
    login(page, live_server, people["director_a"].email, factories.PASSWORD)
    org, pk = "alfa", setting["round"].pk
    round_kwargs = {"org": org, "pk": pk}
    for name in ("honeycomb:results", "honeycomb:compare", "honeycomb:trend", "review:round"):
        url = base + reverse(name, kwargs=round_kwargs)
        visit(page, url, problems)
        page.wait_for_function(CHARTS_DRAWN)
        styling = page.evaluate(CHART_STYLING)
        assert styling["position"] == "absolute", url  # plotly.css applies
        assert styling["styleElements"] == 0, url  # plotly added no <style> of its own
        if name in ("honeycomb:results", "review:round"):
            assert styling["bold"], url  # <b> in chart texts still bold
        if name == "honeycomb:results":
            assert hover_a_cell(page), "no hover label on the honeycomb"
            collect(page, url + " (hover)", problems)
    visit(page, base + reverse("actions:dashboard", kwargs={"org": org}), problems)
    page.wait_for_function(CHARTS_DRAWN)
    visit(page, base + reverse("scan:round", kwargs=round_kwargs), problems)
    assert page.locator("progress.meter").count() > 0
    visit(page, base + reverse("pulse:overview", kwargs={"org": org}), problems)
    visit(
        page,
        base + reverse("pulse:scorecard", kwargs={"org": org, "code": partner.code}),
        problems,
    )
    assert problems == [] and messages == [], "\n".join(problems + messages)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_respondent_wizard_runs_under_the_policy(
    live_server,
    new_page,
    setting,  # noqa: F811
    width,
):
    page, messages = open_page(new_page, width)
    base, token, problems = live_server.url, setting["token"], []
    for step in ("intro", "KV1", "closing"):
        url = base + reverse("scan_public:respond_step", kwargs={"token": token, "step": step})
        visit(page, url, problems)
        bar = page.locator("progress.progress-bar")
        assert bar.count() == 1
        # The bar shows the step through its value, drawn by the stylesheet.
        drawn = bar.evaluate("b => [b.value, b.max, getComputedStyle(b).appearance, b.clientWidth]")
        assert drawn[1] == 100 and drawn[2] == "none" and drawn[3] > 100, (step, drawn)
        if step == "closing":
            assert drawn[0] == 100
    assert problems == [] and messages == [], "\n".join(problems + messages)


def test_the_report_page_follows_its_progress_under_the_policy(
    live_server,
    new_page,
    setting,  # noqa: F811
    people,
):
    job = ReportJob.objects.create(
        round=setting["round"], requested_by=people["director_a"], status="running", progress=20
    )
    page, messages = open_page(new_page, 1280)
    problems: list[str] = []
    login(page, live_server, people["director_a"].email, factories.PASSWORD)
    kwargs = {"org": "alfa", "pk": setting["round"].pk, "job": job.pk}
    visit(page, live_server.url + reverse("honeycomb:report_status", kwargs=kwargs), problems)
    assert page.locator("progress.progress-bar").evaluate("b => b.value") == 20
    ReportJob.objects.filter(pk=job.pk).update(progress=65)
    # The page asks for its progress and moves the bar (its value) and the figure beside it.
    page.wait_for_function("() => document.querySelector('progress.progress-bar').value === 65")
    assert page.locator("#report .meta").inner_text() == "65%"
    collect(page, "report", problems)
    assert problems == [] and messages == [], "\n".join(problems + messages)


@pytest.mark.parametrize("width", WIDTHS)
def test_call_backs_and_signed_versions_run_under_the_policy(
    live_server,
    new_page,
    handled,  # noqa: F811
    people,
    width,
):
    page, messages = open_page(new_page, width)
    base, problems = live_server.url, []
    login(page, live_server, people["coordinator_a"].email, factories.PASSWORD)
    visit(page, base + reverse("pulse:overview", kwargs={"org": "alfa"}), problems)
    assert page.locator("a[href^='tel:']").count() == 1
    kwargs = {"org": "alfa", "pk": handled["round"].pk}
    visit(page, base + reverse("review:round", kwargs=kwargs), problems)
    visit(
        page,
        base + reverse("review:signed_version", kwargs={**kwargs, "version": handled["version"]}),
        problems,
    )
    page.wait_for_function(CHARTS_DRAWN)
    assert problems == [] and messages == [], "\n".join(problems + messages)
