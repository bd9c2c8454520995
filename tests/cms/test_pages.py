import pytest

from cms.demo import ensure_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages(db):
    return ensure_pages()


def test_home_in_dutch_by_default_and_english_under_en(client, site_pages):
    nl = client.get("/")
    assert nl.status_code == 200
    assert '<html lang="nl">' in nl.content.decode()
    assert "Over de methode" in nl.content.decode()
    en = client.get("/en/")
    assert en.status_code == 200
    assert '<html lang="en">' in en.content.decode()
    assert "About the method" in en.content.decode()


def test_content_pages_and_footer(client, site_pages):
    page = client.get("/niveaus/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Toonaangevend" in html
    assert "contact@klantraat.nl" in html


def test_language_switch_keeps_the_page(client, site_pages):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/methode/"})
    assert response.status_code == 302
    assert response.url.startswith("/en/")


def test_language_switch_works_both_ways_and_keeps_query_and_step(client, site_pages):
    back = client.post("/i18n/setlang/", {"language": "nl", "next": "/en/methode/?a=1"})
    assert back.status_code == 302
    assert back.url == "/methode/?a=1"
    assert back.cookies["django_language"].value == "nl"
    there = client.post("/i18n/setlang/", {"language": "en", "next": "/r/abc/KV1/?x=y"})
    assert there.url == "/en/r/abc/KV1/?x=y"
    again = client.post("/i18n/setlang/", {"language": "nl", "next": "/en/r/abc/KV1/"})
    assert again.url == "/r/abc/KV1/"


def test_language_switch_refuses_foreign_hosts(client, site_pages):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "https://evil.example/"})
    assert response.url == "/"


def test_pages_load_no_external_assets(client, site_pages):
    import re

    html = client.get("/").content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/") for url in assets), assets


def test_demo_loader_is_idempotent(db):
    from cms.demo import load_demo
    from core.models import Membership, Organisation
    from scan.models import Answer, Respondent, ScanRound

    load_demo()
    counts = [m.objects.count() for m in (Organisation, Membership, ScanRound, Respondent, Answer)]
    summary = load_demo()
    assert [
        m.objects.count() for m in (Organisation, Membership, ScanRound, Respondent, Answer)
    ] == counts
    assert (
        summary.respondent_links
        and summary.closed_round.respondents.filter(submitted_at__isnull=False).count() >= 50
    )
    assert any(role in ("Director", "Bestuurder") for _e, role, _o in summary.logins)


def test_demo_tells_a_three_round_story(db):
    from actions.models import ImprovementAction, Review
    from cms.demo import load_demo
    from scan.models import ScanRound

    load_demo()
    rounds = ScanRound.objects.filter(organisation__slug="woonstichting-de-linde").order_by(
        "opens_on"
    )
    assert [r.status for r in rounds] == ["closed", "closed", "open"]
    assert rounds[1].previous_round == rounds[0] and rounds[2].previous_round == rounds[1]
    assert Review.objects.get(round=rounds[1]).is_signed_off
    assert ImprovementAction.objects.filter(status="done").count() >= 2
    assert rounds[0].organisation.ambitions.exists()


def test_the_method_page_explains_the_disclosure_rule_in_both_languages(client, site_pages):
    nl = client.get("/methode/").content.decode()
    assert "Hoe we je anonimiteit bewaken" in nl and "aftrekken" in nl
    en = client.get("/en/methode/").content.decode()
    assert "How we protect your anonymity" in en and "subtracting" in en
