"""Realistic demo data, loaded idempotently: running it twice gives the same data.

Fictional corporations, users for every role, the default model, a closed round with enough
answers per group to show results, and an open round with personal links.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from scan import services as scan_services
from scan.modeldoc import ModelDoc
from scan.models import (
    Answer,
    MaturityModel,
    Membership,
    ModelVersion,
    Organisation,
    Respondent,
    Role,
    RoundStatus,
    ScanRound,
)

from .content.pages import HOME, PAGES
from .models import ContentPage, HomePage, SiteSettings, User

DEFAULT_MODEL_FILE = Path(settings.BASE_DIR) / "scan" / "default_models" / "woningcorporatie.yaml"
DEMO_PASSWORD = "klantraat-demo"


@dataclass
class DemoSummary:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (email, role, organisation)
    respondent_links: list[tuple[str, str]] = field(default_factory=list)  # (description, url)
    open_round: ScanRound | None = None
    closed_round: ScanRound | None = None


# --- pages --------------------------------------------------------------------------------


def _ensure_locales() -> tuple[Locale, Locale]:
    nl, _ = Locale.objects.get_or_create(language_code="nl")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return nl, en


def _fill(page, content: dict) -> None:
    page.title = content["title"]
    page.intro = content["intro"]
    page.body = [(kind, value) for kind, value in content["body"]]


def _publish(page) -> None:
    page.save_revision().publish()


def ensure_pages() -> HomePage:
    nl, en = _ensure_locales()
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=nl).first()
    if home is None:
        home = HomePage(slug="klantraat", locale=nl)
        _fill(home, HOME["nl"])
        root.add_child(instance=home)
        _publish(home)
        site = Site.objects.filter(is_default_site=True).first()
        if site:
            old_root = site.root_page
            site.root_page, site.site_name = home, "Klantraat"
            site.hostname, site.port = "127.0.0.1", 8000
            site.save()
            if old_root.pk != home.pk and not old_root.specific_class == HomePage:
                old_root.delete()
        else:
            Site.objects.create(
                hostname="127.0.0.1",
                port=8000,
                root_page=home,
                is_default_site=True,
                site_name="Klantraat",
            )
    if not home.has_translation(en):
        home_en = home.copy_for_translation(en)
        _fill(home_en, HOME["en"])
        _publish(home_en)
    home_en = home.get_translation(en)
    for spec in PAGES:
        page = ContentPage.objects.filter(locale=nl, slug=spec["slug"]).first()
        if page is None:
            page = ContentPage(
                slug=spec["slug"], locale=nl, show_in_menus=spec["slug"] != "privacy"
            )
            _fill(page, spec["nl"])
            home.add_child(instance=page)
            _publish(page)
        if not page.has_translation(en):
            translated = page.copy_for_translation(en)
            _fill(translated, spec["en"])
            translated.show_in_menus = page.show_in_menus
            _publish(translated)
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.footer_text:
        site_settings.organisation_name = "Klantraat"
        site_settings.footer_text = "<p>Klantgerichtheid meten en verbeteren, samen met medewerkers, partners en huurders.</p>"
        site_settings.contact_email = "contact@klantraat.nl"
        site_settings.privacy_page = ContentPage.objects.filter(locale=nl, slug="privacy").first()
        site_settings.save()
    assert home_en is not None
    return home


# --- model ---------------------------------------------------------------------------------


def ensure_default_model() -> ModelVersion:
    text = DEFAULT_MODEL_FILE.read_text(encoding="utf-8")
    model = MaturityModel.objects.filter(code="woningcorporatie").first()
    if model is None or not model.versions.exists():
        model = scan_services.model_import(text=text, publish=True)
    return model.versions.order_by("-number").first()


# --- people and rounds ---------------------------------------------------------------------

ORGANISATIONS = [
    ("woonstichting-de-linde", "Woonstichting De Linde", "Deventer"),
    ("wonen-aan-de-maas", "Wonen aan de Maas", "Venlo"),
]

USERS = [
    # email, first, last, staff, org slug, role
    ("adviseur@klantraat.nl", "Sanne", "de Vries", True, "woonstichting-de-linde", Role.CONSULTANT),
    (
        "coordinator@delinde.nl",
        "Martijn",
        "Bakker",
        False,
        "woonstichting-de-linde",
        Role.COORDINATOR,
    ),
    ("directeur@delinde.nl", "Ingrid", "Hoekstra", False, "woonstichting-de-linde", Role.DIRECTOR),
    ("werkgroep@delinde.nl", "Yusuf", "Demir", False, "woonstichting-de-linde", Role.WORKGROUP),
    ("werkgroep2@delinde.nl", "Lotte", "Jansen", False, "woonstichting-de-linde", Role.WORKGROUP),
    ("adviseur2@klantraat.nl", "Ruben", "Smit", True, "wonen-aan-de-maas", Role.CONSULTANT),
    (
        "coordinator@wonenaandemaas.nl",
        "Fatima",
        "El Amrani",
        False,
        "wonen-aan-de-maas",
        Role.COORDINATOR,
    ),
    ("directeur@wonenaandemaas.nl", "Peter", "Willems", False, "wonen-aan-de-maas", Role.DIRECTOR),
]

# Respondents per group in the closed round, and the average level each group sees per domain.
GROUP_SIZES = {"board": 6, "managers": 9, "staff": 24, "partners": 8, "tenants": 12}
GROUP_BIAS = {
    "board": {"KV": 3.6, "KP": 3.3, "DI": 3.0, "GE": 3.5},
    "managers": {"KV": 3.4, "KP": 3.1, "DI": 2.9, "GE": 3.3},
    "staff": {"KV": 2.8, "KP": 2.7, "DI": 2.5, "GE": 2.9},
    "partners": {"KV": 2.6, "KP": 2.5, "DI": 2.4, "GE": 2.8},
    "tenants": {"KV": 2.4, "KP": 2.2, "DI": 2.6, "GE": 3.0},
}


def ensure_people(summary: DemoSummary) -> dict[str, Organisation]:
    organisations = {}
    for slug, name, city in ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "city": city}
        )
    if not User.objects.filter(email="admin@klantraat.nl").exists():
        User.objects.create_superuser("admin@klantraat.nl", DEMO_PASSWORD, first_name="Beheer")
    summary.logins.append(("admin@klantraat.nl", "superuser", "—"))
    for email, first, last, staff, org_slug, role in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first, last_name=last, is_staff=staff
            )
        if staff and not user.is_superuser:
            scan_services.consultant_grant_cms_access(user)
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org_slug], defaults={"role": role}
        )
        summary.logins.append((email, str(Role(role).label), organisations[org_slug].name))
    return organisations


def _rng_level(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.05:
        return None  # not applicable / don't know
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _fill_answers(
    scan_round: ScanRound, respondents: list[Respondent], rng: random.Random, shift: float = 0.0
) -> None:
    doc = ModelDoc(scan_round.model_version.document)
    answers = []
    for respondent in respondents:
        bias = GROUP_BIAS[respondent.group.kind]
        for statement in doc.statements:
            if statement.asks(respondent.group.kind):
                cell_shift = (
                    -0.5
                    if statement.cell_code in ("KP2", "DI3") and respondent.group.kind == "tenants"
                    else 0.0
                )
                answers.append(
                    Answer(
                        respondent=respondent,
                        statement_code=statement.code,
                        level=_rng_level(rng, bias[statement.domain_code] + shift + cell_shift),
                    )
                )
    Answer.objects.bulk_create(answers, ignore_conflicts=True)


def _make_respondents(
    scan_round: ScanRound, org_domain: str, sizes: dict[str, int], submitted: bool
) -> list[Respondent]:
    departments = ["Wonen", "Vastgoed", "Klantcontact", "Financiën"]
    created = []
    for group in scan_round.groups.all():
        for i in range(sizes.get(group.kind, 0)):
            email = f"{group.kind}{i + 1}@{org_domain}"
            respondent, is_new = Respondent.objects.get_or_create(
                round=scan_round,
                email=email,
                defaults={
                    "group": group,
                    "department": departments[i % 4] if group.kind == "staff" else "",
                },
            )
            if is_new:
                created.append(respondent)
    if submitted and created:
        now = timezone.now()
        Respondent.objects.filter(pk__in=[r.pk for r in created]).update(
            started_at=now, submitted_at=now
        )
    return created


def ensure_rounds(
    summary: DemoSummary, organisations: dict[str, Organisation], version: ModelVersion
) -> None:
    org = organisations["woonstichting-de-linde"]
    consultant = User.objects.get(email="adviseur@klantraat.nl")
    today = timezone.localdate()
    closed = ScanRound.objects.filter(organisation=org, title="Nulmeting klantgerichtheid").first()
    if closed is None:
        closed = scan_services.round_create(
            organisation=org,
            title="Nulmeting klantgerichtheid",
            period="najaar 2025",
            opens_on=today - dt.timedelta(days=60),
            closes_on=today - dt.timedelta(days=30),
            model_version=version,
            created_by=consultant,
        )
        closed.status = RoundStatus.CLOSED
        closed.save(update_fields=["status"])
        respondents = _make_respondents(
            closed, "nulmeting.delinde.example", GROUP_SIZES, submitted=True
        )
        _fill_answers(closed, respondents, random.Random(2025))
        scan_services.consensus_record(
            scan_round=closed,
            cell_code="KP2",
            level=2,
            user=consultant,
            reason="Huurders en medewerkers zien hetzelfde: afspraken over reparaties worden vaak niet nagekomen.",
        )
    summary.closed_round = closed

    open_round = ScanRound.objects.filter(
        organisation=org, title="Herhaalmeting klantgerichtheid"
    ).first()
    if open_round is None:
        open_round = scan_services.round_create(
            organisation=org,
            title="Herhaalmeting klantgerichtheid",
            period="voorjaar 2026",
            opens_on=today - dt.timedelta(days=3),
            closes_on=today + dt.timedelta(days=25),
            model_version=version,
            created_by=consultant,
            previous_round=closed,
        )
        scan_services.round_set_status(scan_round=open_round, status=RoundStatus.OPEN)
        _make_respondents(
            open_round,
            "herhaal.delinde.example",
            {"staff": 3, "tenants": 2, "managers": 1},
            submitted=False,
        )
    summary.open_round = open_round
    for respondent in open_round.respondents.filter(submitted_at__isnull=True).order_by("pk")[:2]:
        token = scan_services.respondent_issue_link(respondent)
        summary.respondent_links.append(
            (
                f"{respondent.group.name} ({respondent.email})",
                scan_services.respondent_link_url(token),
            )
        )


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary()
    ensure_pages()
    version = ensure_default_model()
    organisations = ensure_people(summary)
    ensure_rounds(summary, organisations, version)
    return summary
