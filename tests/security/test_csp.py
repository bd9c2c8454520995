"""Every page of the site is served with a Content Security Policy that allows scripts and
styles only from our own files (plus a fresh nonce per response), and no page carries an
inline script, <style> element or style attribute."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from pulse import services as pulse
from pulse.models import ContractPartner
from scan import services
from tests import factories
from tests.actions.conftest import answer_round

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]{16,})'")
INLINE_SCRIPT = re.compile(r'<script(?![^>]*(\bsrc=|type="application/json"))[^>]*>')
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*?\sstyle\s*=""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[a-zA-Z][^>]*?\son[a-z]+\s*=""", re.IGNORECASE)


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.fixture
def site_pages(people, org_a, version) -> list[str]:
    """The pages people use most, each with a chart, a bar or a form."""
    closed = factories.scan_round(org_a, version=version)
    answer_round(closed, "staff", 5, 3)
    factories.release(closed)
    open_round = factories.scan_round(org_a, version=version, title="Herhaling")
    token = services.respondent_issue_link(factories.respondent(open_round, kind="tenants"))
    pulse.moments_install_defaults(organisation=org_a)
    pulse.events_ingest(
        organisation=org_a,
        items=[
            pulse.EventInput(
                source_id="WO-1",
                moment="reparatie",
                occurred_on="2026-01-05",
                partner="Bouwbedrijf Jansen",
                area="Complex 12",
                email="huurder@example.nl",
                phone="",
            )
        ],
    )
    partner = ContractPartner.objects.get(organisation=org_a)
    org, pk = {"org": org_a.slug}, {"org": org_a.slug, "pk": closed.pk}
    return [
        reverse("honeycomb:results", kwargs=pk),
        reverse("honeycomb:compare", kwargs=pk),
        reverse("honeycomb:trend", kwargs=pk),
        reverse("review:round", kwargs=pk),
        reverse("scan:round", kwargs={"org": org_a.slug, "pk": open_round.pk}),
        reverse("actions:dashboard", kwargs=org),
        reverse("pulse:overview", kwargs=org),
        reverse("pulse:scorecard", kwargs={"org": org_a.slug, "code": partner.code}),
        reverse("scan_public:respond_step", kwargs={"token": token, "step": "intro"}),
    ]


def test_main_pages_have_a_strict_policy_with_a_fresh_nonce(client, people, site_pages):
    client.force_login(people["director_a"])
    nonces = set()
    for url in site_pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = policy_of(response)
        for directive in ("script-src", "style-src"):
            sources = policy[directive].split()
            assert "'self'" in sources, (url, directive)
            assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, url
            assert [s for s in sources if s not in ("'self'",)] == [
                s for s in sources if s.startswith("'nonce-")
            ], (url, directive, sources)  # nothing else: no host, no hash, no wildcard
        assert policy["style-src-attr"] == "'none'", url
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        found = NONCE.findall(policy["script-src"])
        assert len(found) == 1 and NONCE.findall(policy["style-src"]) == found, url
        nonces.add(found[0])
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ELEMENT, STYLE_ATTRIBUTE, EVENT_HANDLER):
            match = pattern.search(html)
            assert not match, (url, match and match.group(0))
    assert len(nonces) == len(site_pages)  # a new nonce for every response


def test_the_same_page_gets_a_new_nonce_each_time(client):
    url = reverse("cms:login")
    first, second = (NONCE.findall(policy_of(client.get(url))["script-src"]) for _ in range(2))
    assert first and second and first != second


def test_the_login_page_is_covered_too(client):
    response = client.get(reverse("cms:login"))
    policy = policy_of(response)
    assert "'unsafe-inline'" not in policy["style-src"] + policy["script-src"]
    assert not STYLE_ATTRIBUTE.search(response.content.decode())


def test_the_cms_keeps_its_own_protections(admin_client):
    assert "Content-Security-Policy" not in admin_client.get("/cms/")


def template_offences(text: str) -> list[str]:
    """Inline styles and scripts in a template's source: a style attribute, a <style> block
    or an inline <script> without the request's nonce, an inline event handler."""
    found = [m.group(0) for m in STYLE_ATTRIBUTE.finditer(text)]
    found += [m.group(0) for m in EVENT_HANDLER.finditer(text)]
    for pattern in (STYLE_ELEMENT, INLINE_SCRIPT):
        found += [
            m.group(0) for m in pattern.finditer(text) if "request.csp_nonce" not in m.group(0)
        ]
    return found


def test_no_template_has_an_inline_style_or_script():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {offence}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for offence in template_offences(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "Inline style or script in templates:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        '<span style="width: 40%"></span>',
        "<div class='a' STYLE='color: red'>",
        "<style>p { color: red }</style>",
        "<script>alert(1)</script>",
        '<button onclick="go()">',
    ],
)
def test_the_template_check_catches_each_kind(source):
    assert template_offences(source)


@pytest.mark.parametrize(
    "source",
    [
        '<style nonce="{{ request.csp_nonce }}">p { color: red }</style>',
        '<script nonce="{{ request.csp_nonce }}">go()</script>',
        '<script src="/static/js/x.js" defer></script>',
        '<script type="application/json" id="d">{}</script>',
        '<progress class="meter" max="100" value="40"></progress>',
        "<p>A word like style= in running text is no attribute</p>",
    ],
)
def test_the_template_check_lets_allowed_markup_pass(source):
    assert template_offences(source) == []
