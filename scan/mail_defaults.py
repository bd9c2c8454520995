"""The built-in mail texts, per kind, audience and language, as text files in
``templates/scan/mail/defaults/<kind>.<audience>.<language>.txt`` (first line the subject,
then a blank line, then the body; placeholders as in the CMS: {name}, {link}, …).
Organisations override them in the CMS (MailTemplate); these are the fallback. Tenants and
contract partners are addressed with "je", as the wizard does, and never as colleagues; the
group threshold and dates come from the round, the time from the model and the group."""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from django.template import TemplateDoesNotExist
from django.template.backends.django import Template
from django.template.loader import get_template

from .models import GroupKind

COLLEAGUES, TENANTS, PARTNERS = "colleagues", "tenants", "partners"

AUDIENCE: dict[str, str] = {
    GroupKind.BOARD: COLLEAGUES,
    GroupKind.MANAGERS: COLLEAGUES,
    GroupKind.STAFF: COLLEAGUES,
    GroupKind.TENANTS: TENANTS,
    GroupKind.PARTNERS: PARTNERS,
}

# How a respondent without a name is greeted.
NAMELESS = {
    (COLLEAGUES, "nl"): "collega",
    (COLLEAGUES, "en"): "colleague",
    (TENANTS, "nl"): "huurder",
    (TENANTS, "en"): "tenant",
    (PARTNERS, "nl"): "partner",
    (PARTNERS, "en"): "partner",
}


@lru_cache(maxsize=64)
def _text_file(kind: str, audience: str, language: str) -> tuple[str, str] | None:
    """(subject, body) of one file, or None when there is none. The file is read as it is
    (not rendered): its placeholders are filled like those of the CMS texts."""
    try:
        # Django's own engine renders every template here; the stubs type any engine's.
        found = cast(Template, get_template(f"scan/mail/defaults/{kind}.{audience}.{language}.txt"))
        source = found.template
    except TemplateDoesNotExist:
        return None
    subject, _blank, body = source.source.partition("\n\n")
    return subject.strip(), body.rstrip("\n")


def default_text(kind: str, group_kind: str, language: str) -> tuple[str, str]:
    """The built-in (subject, body); partners share the tenants' reminder texts."""
    audience = AUDIENCE.get(group_kind, COLLEAGUES)
    language = language if language in ("nl", "en") else "nl"
    for candidate in (audience, TENANTS if audience == PARTNERS else audience, COLLEAGUES):
        text = _text_file(str(kind), candidate, language)
        if text is not None:
            return text
    return _text_file(str(kind), COLLEAGUES, "nl") or ("", "")


def nameless(group_kind: str, language: str) -> str:
    audience = AUDIENCE.get(group_kind, COLLEAGUES)
    return NAMELESS[(audience, language if language in ("nl", "en") else "nl")]
