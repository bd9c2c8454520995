"""The pulse invitation as a tenant sees it in a phone's mail app: the corporation as sender,
the moment in natural words, the link, nothing sideways. KLANTRAAT_SCREENSHOTS=1 writes
docs/screenshots/pulse-mail-phone.png."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest
from django.core import mail

from pulse import services

from ..pulse.conftest import event

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{subject}</title></head>
<body style="font: 16px/1.45 system-ui, sans-serif; margin: 0; color: #1b2733">
<header style="padding: 12px 16px; border-bottom: 1px solid #d5dbe1; background: #f4f6f8">
<div><strong>{sender}</strong></div><div style="color:#4a5a6a">aan mij · antwoord naar {reply}</div>
<h1 style="font-size: 19px; margin: 8px 0 0">{subject}</h1></header>
<main style="padding: 12px 16px; white-space: pre-wrap; overflow-wrap: anywhere">{body}</main>
</body></html>"""


def test_the_pulse_mail_comes_from_the_corporation_and_fits_a_phone(new_page, org_a):
    org_a.name = "Woonstichting De Linde"
    org_a.reply_to = "klantcontact@delinde.nl"
    org_a.save()
    services.moments_install_defaults(organisation=org_a)
    report = services.events_ingest(organisation=org_a, items=[event(1)])
    services.invitations_send_due(now=report.events[0].invitation.send_after)
    (sent,) = mail.outbox
    message = sent.message()
    page = new_page(width=375, height=740)
    page.set_content(
        PAGE.format(
            sender=html.escape(message["From"]),
            reply=html.escape(message["Reply-To"]),
            subject=html.escape(sent.subject),
            body=html.escape(sent.body),
        )
    )
    text = page.inner_text("body")
    assert "Woonstichting De Linde <noreply@klantraat.nl>" in text
    assert sent.subject.startswith("Hoe ging de reparatie op ") and "Bouwbedrijf Jansen" in text
    assert "Reparatie" not in text  # never the capitalised name mid-sentence
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if os.environ.get("KLANTRAAT_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "pulse-mail-phone.png"), full_page=True)
