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
from scan.selectors import model_doc

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
    # A flushed database (browser tests) has lost the tree root that migrations made.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=nl)
    )
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
    if not site_settings.footer_text_en:
        site_settings.footer_text_en = (
            "<p>Measuring and improving customer orientation, together with staff, partners and "
            "tenants.</p>"
        )
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
    scan_round: ScanRound,
    respondents: list[Respondent],
    rng: random.Random,
    shift: float = 0.0,
    cell_shift: dict[str, float] | None = None,
) -> None:
    doc = model_doc(scan_round)
    answers = []
    for respondent in respondents:
        bias = GROUP_BIAS[respondent.group.kind]
        for statement in doc.statements:
            if statement.asks(respondent.group.kind):
                extra = (cell_shift or {}).get(statement.cell_code, 0.0)
                if statement.cell_code in ("KP2", "DI3") and respondent.group.kind == "tenants":
                    extra -= 0.5
                answers.append(
                    Answer(
                        respondent=respondent,
                        statement_code=statement.code,
                        level=_rng_level(rng, bias[statement.domain_code] + shift + extra),
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


def _closed_round(
    org,
    title: str,
    period: str,
    days_ago: int,
    version,
    consultant,
    previous,
    seed: int,
    shift: float,
    cell_shift: dict[str, float],
) -> ScanRound:
    scan_round = ScanRound.objects.filter(organisation=org, title=title).first()
    if scan_round is not None:
        return scan_round
    today = timezone.localdate()
    scan_round = scan_services.round_create(
        organisation=org,
        title=title,
        period=period,
        opens_on=today - dt.timedelta(days=days_ago),
        closes_on=today - dt.timedelta(days=days_ago - 30),
        model_version=version,
        created_by=consultant,
        previous_round=previous,
    )
    scan_round.status = RoundStatus.CLOSED
    scan_round.save(update_fields=["status"])
    respondents = _make_respondents(
        scan_round, f"{seed}.delinde.example", GROUP_SIZES, submitted=True
    )
    _fill_answers(scan_round, respondents, random.Random(seed), shift=shift, cell_shift=cell_shift)
    return scan_round


def ensure_rounds(
    summary: DemoSummary, organisations: dict[str, Organisation], version: ModelVersion
) -> None:
    """Three rounds for De Linde: a baseline, a re-evaluation that improved (and was signed
    off) and an open round that is running now."""
    org = organisations["woonstichting-de-linde"]
    consultant = User.objects.get(email="adviseur@klantraat.nl")
    baseline = _closed_round(
        org,
        "Nulmeting klantgerichtheid",
        "najaar 2025",
        400,
        version,
        consultant,
        None,
        2025,
        0.0,
        {},
    )
    if not baseline.consensus.exists():
        scan_services.consensus_record(
            scan_round=baseline,
            cell_code="KP2",
            level=2,
            user=consultant,
            reason="Huurders en medewerkers zien hetzelfde: afspraken over reparaties worden vaak niet nagekomen.",
        )
    follow_up = _closed_round(
        org,
        "Herhaalmeting klantgerichtheid",
        "voorjaar 2026",
        200,
        version,
        consultant,
        baseline,
        2026,
        0.25,
        {"KP2": 0.6, "GE1": 0.4, "DI3": 0.3},
    )
    summary.closed_round = follow_up
    today = timezone.localdate()
    open_round = ScanRound.objects.filter(organisation=org, title="Tweede herhaalmeting").first()
    if open_round is None:
        open_round = scan_services.round_create(
            organisation=org,
            title="Tweede herhaalmeting",
            period="najaar 2026",
            opens_on=today - dt.timedelta(days=3),
            closes_on=today + dt.timedelta(days=25),
            model_version=version,
            created_by=consultant,
            previous_round=follow_up,
        )
        scan_services.round_set_status(scan_round=open_round, status=RoundStatus.OPEN)
        _make_respondents(
            open_round,
            "open.delinde.example",
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
    ensure_cycle(org, baseline, follow_up)


def ensure_cycle(org: Organisation, baseline: ScanRound, follow_up: ScanRound) -> None:
    """Ambition, working group, actions (some done between the rounds), measures, schedule and
    a signed-off review of the re-evaluation."""
    from actions import services as cycle
    from actions.models import ImprovementAction, Review

    consultant = User.objects.get(email="adviseur@klantraat.nl")
    director = User.objects.get(email="directeur@delinde.nl")
    coordinator = User.objects.get(email="coordinator@delinde.nl")
    yusuf = User.objects.get(email="werkgroep@delinde.nl")
    lotte = User.objects.get(email="werkgroep2@delinde.nl")
    today = timezone.localdate()
    if not org.ambitions.exists():
        cycle.ambition_set(
            organisation=org,
            user=director,
            horizon=today + dt.timedelta(days=700),
            statement="Huurders merken bij elk contact dat we gastvrij zijn en afspraken nakomen, ook als een aannemer aanbelt.",
            targets={
                "KP2": (4, "Reparaties zijn voor huurders het belangrijkste moment."),
                "GE1": (4, "Gastvrijheid is onze kern."),
                "KP5": (3, "Ketenpartners als externe collega's."),
                "DI3": (3, ""),
            },
        )
    cycle.working_group_set(
        organisation=org,
        name="Werkgroep klantgerichtheid",
        chair=coordinator,
        members=[yusuf, lotte],
        user=consultant,
    )
    if not org.actions.exists():
        done_at = timezone.make_aware(
            dt.datetime.combine(baseline.closes_on + dt.timedelta(days=60), dt.time(12))
        )
        specs = [
            ("Monteurs bellen een half uur vooraf", ["KP2"], yusuf, "done"),
            ("Gastvrijheidstraining voor de klantenservice", ["GE1"], lotte, "done"),
            ("Terugbelbelofte bij klachten", ["KP4", "DI3"], yusuf, "in_progress"),
            ("Gezamenlijke werksessie met de gevelpartners", ["KP5"], lotte, "planned"),
            ("Luisterpanel met huurders twee keer per jaar", ["KV2"], yusuf, "idea"),
        ]
        for index, (title, cells, owner, status) in enumerate(specs):
            action = cycle.action_create(
                organisation=org,
                user=owner,
                title=title,
                cells=cells,
                owner=owner,
                status="planned",
                start_on=baseline.closes_on + dt.timedelta(days=10),
                due_on=(today - dt.timedelta(days=5))
                if index == 2
                else today + dt.timedelta(days=30 + 10 * index),
            )
            if status != "planned":
                action = cycle.action_change(
                    action=action, user=owner, revision=action.revision, status=status
                )
            if status == "done":
                ImprovementAction.objects.filter(pk=action.pk).update(completed_at=done_at)
                cycle.action_progress(
                    action=action, user=owner, note="Afgerond en met het team geëvalueerd."
                )
    if not org.external_measures.exists():
        rows = "bron;meting;periode;einddatum;waarde\n" + "\n".join(
            f"Aedes-benchmark;{kind};{year}-K{q};{year}-{q * 3:02d}-28;{value}"
            for year, q, values in (
                (2025, 2, (7.1, 6.6, 7.4)),
                (2025, 4, (7.2, 6.9, 7.4)),
                (2026, 2, (7.4, 7.3, 7.5)),
            )
            for kind, value in zip(("betrekken", "reparaties", "verlaten"), values, strict=True)
        )
        cycle.measures_import(organisation=org, filename="aedes.csv", content=rows.encode())
    cycle.schedule_set(
        organisation=org, interval_months=6, next_due_on=today + dt.timedelta(days=150)
    )
    review = cycle.review_for(follow_up)
    if not review.is_signed_off:
        if not review.summary_final:
            review = cycle.review_save_summary(
                scan_round=follow_up,
                user=consultant,
                revision=review.revision,
                final=True,
                summary="De honingraat kleurt op reparaties en gastvrijheid duidelijk donkerder dan bij de nulmeting. "
                "Huurders zien reparaties nog steeds kritischer dan medewerkers: daar blijft de werkgroep op sturen.",
            )
        cycle.review_sign_off(
            scan_round=follow_up,
            user=director,
            comment="Akkoord. Goede stap; blijf op de keten sturen.",
            revision=Review.objects.get(pk=review.pk).revision,
        )


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary()
    ensure_pages()
    version = ensure_default_model()
    organisations = ensure_people(summary)
    ensure_rounds(summary, organisations, version)
    from django.conf import settings

    from .demo_pulse import ensure_pulse, survey_links

    linde = organisations["woonstichting-de-linde"]
    summary.logins += ensure_pulse(linde, DEMO_PASSWORD)
    summary.respondent_links += survey_links(linde, settings.KLANTRAAT_BASE_URL)
    return summary
