"""Tenants read no staff text: every page of a tenant's path through the default model (the
scan's intro, topics, closing and thanks, and the pulse survey and its thanks) and the mails
they get, in Dutch and English."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from django.core import mail
from django.urls import reverse

from pulse import services as pulse_services
from scan import services
from scan.modeldoc import ModelDoc
from scan.services import render_mail
from scan.services.mail_texts import TextSource
from tests import factories
from tests.pulse.outbox import send_due

from .conftest import event, token_of

pytestmark = pytest.mark.django_db

DEFAULT_MODEL = (
    Path(__file__).resolve().parents[2] / "scan" / "default_models" / "woningcorporatie.yaml"
)
# Words of the corporation's own staff and of the maturity model that tenants do not use.
STAFF_JARGON = (
    "collega",
    "klantvisie",
    "klantreis",
    "klantbeleving",
    "klantgericht",
    "binnendienst",
    "toonaangevend",
    "ketenpartner",
    "benchmark",
    "aedes",
    "eigenaarschap",
    "ontwikkelcyclus",
    "leidinggevende",
    "colleague",
    "customer vision",
    "customer journey",
    "back office",
    "contract partner",
)
# Staff speak as the corporation ("we", "ons", "onze"); a tenant's scan pages never do.
STAFF_VOICE = re.compile(r"\b(we|wij|ons|onze|our|us)\b", re.IGNORECASE)


def main_text(response) -> str:
    page = response.content.decode()
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    text = re.sub(r"<[^>]+>", " ", main.group(1) if main else page)
    return " ".join(html.unescape(text).split())


def jargon_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in STAFF_JARGON if word in lowered]


def staff_only_texts(doc: ModelDoc, language: str) -> list[str]:
    """Texts of the model a tenant must never see: staff wording where tenants have their own."""
    texts = []
    for cell in doc.cells_for("tenants"):
        for statement in cell.statements_for("tenants"):
            own = statement.text_for("tenants", language)
            if "tenants" in statement.wording and statement.text[language] != own:
                texts.append(statement.text[language])
        if "tenants" in cell.group_descriptors:
            texts += [cell.descriptors[str(n)][language] for n in range(1, 6)]
    texts += [doc.levels[n]["name"][language] for n in range(1, 6)]
    return texts


@pytest.fixture
def default_round(org_a):
    version = factories.model_version(yaml.safe_load(DEFAULT_MODEL.read_text(encoding="utf-8")))
    return factories.scan_round(org_a, version=version)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_scan_page_of_a_tenant_is_in_their_own_words(client, default_round, language):
    doc = ModelDoc(default_round.model_version.document)
    tenant = factories.respondent(default_round, kind="tenants")
    tenant.language = language
    tenant.save(update_fields=["language"])
    token = services.respondent_issue_link(tenant)
    prefix = "/en" if language == "en" else ""
    base = prefix + reverse("scan_public:respond", kwargs={"token": token})
    steps = ["intro", *(cell.code for cell in doc.cells_for("tenants")), "closing"]
    pages = {}
    for step in steps:
        response = client.get(f"{base}{step}/")
        assert response.status_code == 200, step
        pages[step] = main_text(response)
    for cell in doc.cells_for("tenants"):
        for statement in cell.statements_for("tenants"):
            services.answer_save(respondent=tenant, statement_code=statement.code, level=3)
    services.respondent_submit(tenant)
    pages["done"] = main_text(client.get(f"{base}done/"))
    forbidden = staff_only_texts(doc, language)
    for step, text in pages.items():
        assert not jargon_in(text), (step, jargon_in(text))
        assert not STAFF_VOICE.search(text), (step, STAFF_VOICE.search(text).group(0), text)
        assert not [t for t in forbidden if t in text], step


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_tenants_invitation_and_reminder_are_in_their_own_words(default_round, language):
    tenant = factories.respondent(default_round, kind="tenants")
    tenant.language = language
    for kind in ("invitation", "reminder"):
        subject, body = render_mail(
            source=TextSource(default_round.organisation, kind),
            respondent=tenant,
            scan_round=default_round,
            link="https://klantraat.example/r/x/",
        )
        assert not jargon_in(subject + body), (kind, jargon_in(subject + body))
        if language == "nl":
            # One form of address in mail and wizard: "je", never "u".
            assert not re.search(r"\b(u|uw)\b", body), body


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pulse_pages_and_messages_of_a_tenant_have_no_staff_words(
    client, org_a, moments, language, _sms_outbox
):
    events = pulse_services.events_ingest(
        organisation=org_a, items=[event(1), event(2, email="", phone="0612345678")]
    ).events
    send_due(now=events[0].invitation.send_after)
    pulse_event = events[0]
    prefix = "/en" if language == "en" else ""
    url = prefix + reverse("pulse_public:survey", kwargs={"token": token_of(pulse_event)})
    survey = main_text(client.get(url))
    thanks = main_text(client.post(url, {"grade": "6", "effort": "2", "call_back": "on"}))
    for name, text in (("survey", survey), ("thanks", thanks)):
        assert not jargon_in(text), (name, jargon_in(text))
    sent = [m.subject + m.body for m in mail.outbox] + [sms["text"] for sms in _sms_outbox]
    assert len(sent) == 2 and not [t for t in sent if jargon_in(t)]
