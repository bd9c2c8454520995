"""The built-in mail texts, per kind, audience and language. Organisations override them in
the CMS (MailTemplate); these are the fallback. Tenants and contract partners are addressed
formally and never as colleagues; the group threshold and dates come from the round."""

from __future__ import annotations

from .models import GroupKind, MailKind

COLLEAGUES, TENANTS, PARTNERS = "colleagues", "tenants", "partners"

AUDIENCE = {
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
    (TENANTS, "nl"): "heer, mevrouw",
    (TENANTS, "en"): "Sir or Madam",
    (PARTNERS, "nl"): "relatie",
    (PARTNERS, "en"): "partner",
}

_NL_PRIVACY_U = (
    "De link is persoonlijk en werkt tot en met {closes_on}. Antwoorden worden alleen per groep "
    "van minstens {threshold} mensen getoond, nooit per persoon."
)
_EN_PRIVACY = (
    "The link is personal and works until {closes_on}. Answers are only shown per group of at "
    "least {threshold} people, never per person."
)

TEXTS: dict[tuple[str, str, str], tuple[str, str]] = {
    (MailKind.INVITATION, COLLEAGUES, "nl"): (
        "Uitnodiging: {round} van {organisation}",
        "Beste {name},\n\n{organisation} wil weten hoe klantgericht de organisatie werkt. Je "
        "mening telt: vul de scan in via je persoonlijke link. Dat duurt ongeveer 15 minuten en "
        "je kunt tussendoor stoppen en later verder gaan.\n\n{link}\n\nDe link is persoonlijk en "
        "werkt tot en met {closes_on}. Antwoorden worden alleen per groep van minstens "
        "{threshold} mensen getoond, nooit per persoon.\n\nMet vriendelijke groet,\n"
        "{organisation}",
    ),
    (MailKind.INVITATION, COLLEAGUES, "en"): (
        "Invitation: {round} of {organisation}",
        "Dear {name},\n\n{organisation} wants to know how customer-oriented we work. Your view "
        "counts: please answer the scan through your personal link. It takes about 15 minutes "
        "and you can stop and continue later.\n\n{link}\n\n" + _EN_PRIVACY + "\n\nKind regards,"
        "\n{organisation}",
    ),
    (MailKind.INVITATION, TENANTS, "nl"): (
        "Uw mening over {organisation}",
        "Beste {name},\n\nU huurt een woning van {organisation}. Wij willen graag weten hoe u "
        "onze dienstverlening ervaart, zodat we die kunnen verbeteren. Wilt u daarvoor een "
        "korte vragenlijst invullen? Dat duurt ongeveer 15 minuten; u kunt tussendoor stoppen "
        "en later verdergaan.\n\n{link}\n\n" + _NL_PRIVACY_U + "\n\nAlvast hartelijk dank.\n\n"
        "Met vriendelijke groet,\n{organisation}",
    ),
    (MailKind.INVITATION, TENANTS, "en"): (
        "Your view of {organisation}",
        "Dear {name},\n\nYou rent your home from {organisation}. We would like to know how you "
        "experience our services, so that we can improve them. Would you answer a short "
        "questionnaire? It takes about 15 minutes; you can stop and continue later.\n\n{link}"
        "\n\n" + _EN_PRIVACY + "\n\nThank you in advance.\n\nKind regards,\n{organisation}",
    ),
    (MailKind.INVITATION, PARTNERS, "nl"): (
        "Uw kijk op de samenwerking met {organisation}",
        "Beste {name},\n\nU werkt als partner samen met {organisation}. Wij willen graag weten "
        "hoe u onze klantgerichtheid en de samenwerking ervaart. Wilt u daarvoor een korte "
        "vragenlijst invullen? Dat duurt ongeveer 15 minuten; u kunt tussendoor stoppen en later "
        "verdergaan.\n\n{link}\n\n" + _NL_PRIVACY_U + "\n\nMet vriendelijke groet,\n"
        "{organisation}",
    ),
    (MailKind.INVITATION, PARTNERS, "en"): (
        "Your view of working with {organisation}",
        "Dear {name},\n\nYou work with {organisation} as a partner. We would like to know how "
        "you experience our customer focus and our cooperation. Would you answer a short "
        "questionnaire? It takes about 15 minutes; you can stop and continue later.\n\n{link}"
        "\n\n" + _EN_PRIVACY + "\n\nKind regards,\n{organisation}",
    ),
    (MailKind.REMINDER, COLLEAGUES, "nl"): (
        "Herinnering: {round} van {organisation}",
        "Beste {name},\n\nWe hebben je antwoorden op de scan nog niet ontvangen. Wat je al hebt "
        "ingevuld is bewaard; via deze link ga je verder waar je was:\n\n{link}\n\nDe scan "
        "sluit na {closes_on}.\n\nMet vriendelijke groet,\n{organisation}",
    ),
    (MailKind.REMINDER, COLLEAGUES, "en"): (
        "Reminder: {round} of {organisation}",
        "Dear {name},\n\nWe have not yet received your answers to the scan. What you already "
        "answered is saved; this link takes you back to where you were:\n\n{link}\n\nThe scan "
        "closes after {closes_on}.\n\nKind regards,\n{organisation}",
    ),
    (MailKind.REMINDER, TENANTS, "nl"): (
        "Herinnering: uw mening over {organisation}",
        "Beste {name},\n\nOnlangs vroegen wij u om een vragenlijst in te vullen. Wij hebben uw "
        "antwoorden nog niet ontvangen. Wat u al hebt ingevuld is bewaard; via deze link gaat u "
        "verder waar u was:\n\n{link}\n\nDe vragenlijst sluit na {closes_on}.\n\n"
        "Met vriendelijke groet,\n{organisation}",
    ),
    (MailKind.REMINDER, TENANTS, "en"): (
        "Reminder: your view of {organisation}",
        "Dear {name},\n\nWe recently asked you to answer a questionnaire and have not yet "
        "received your answers. What you already answered is saved; this link takes you back "
        "to where you were:\n\n{link}\n\nThe questionnaire closes after {closes_on}.\n\n"
        "Kind regards,\n{organisation}",
    ),
    (MailKind.NEW_LINK, COLLEAGUES, "nl"): (
        "Je nieuwe link voor {round}",
        "Beste {name},\n\nJe vorige link voor de scan van {organisation} werkt niet meer. "
        "Gebruik voortaan deze persoonlijke link; wat je al had ingevuld is bewaard:\n\n{link}"
        "\n\nDe link werkt tot en met {closes_on}.\n\nMet vriendelijke groet,\n{organisation}",
    ),
    (MailKind.NEW_LINK, COLLEAGUES, "en"): (
        "Your new link for {round}",
        "Dear {name},\n\nYour previous link to the scan of {organisation} no longer works. "
        "Please use this personal link from now on; what you already answered is saved:\n\n"
        "{link}\n\nThe link works until {closes_on}.\n\nKind regards,\n{organisation}",
    ),
    (MailKind.NEW_LINK, TENANTS, "nl"): (
        "Uw nieuwe link voor de vragenlijst van {organisation}",
        "Beste {name},\n\nUw vorige link voor de vragenlijst van {organisation} werkt niet meer. "
        "Gebruik voortaan deze persoonlijke link; wat u al had ingevuld is bewaard:\n\n{link}"
        "\n\nDe link werkt tot en met {closes_on}.\n\nMet vriendelijke groet,\n{organisation}",
    ),
    (MailKind.NEW_LINK, TENANTS, "en"): (
        "Your new link for the questionnaire of {organisation}",
        "Dear {name},\n\nYour previous link to the questionnaire of {organisation} no longer "
        "works. Please use this personal link from now on; what you already answered is saved:"
        "\n\n{link}\n\nThe link works until {closes_on}.\n\nKind regards,\n{organisation}",
    ),
}


def default_text(kind: str, group_kind: str, language: str) -> tuple[str, str]:
    """The built-in (subject, body); partners share the tenants' formal reminder texts."""
    audience = AUDIENCE.get(group_kind, COLLEAGUES)
    language = language if language in ("nl", "en") else "nl"
    for candidate in (audience, TENANTS if audience == PARTNERS else audience, COLLEAGUES):
        if (kind, candidate, language) in TEXTS:
            return TEXTS[(kind, candidate, language)]
    return TEXTS[(kind, COLLEAGUES, "nl")]


def nameless(group_kind: str, language: str) -> str:
    audience = AUDIENCE.get(group_kind, COLLEAGUES)
    return NAMELESS[(audience, language if language in ("nl", "en") else "nl")]
