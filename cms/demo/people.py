"""Demo organisations and logins for every role; the summary the command prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Membership, Organisation, Role
from scan import services as scan_services
from scan.models import ScanRound

from ..models import User

DEMO_PASSWORD = "klantraat-demo"


@dataclass
class DemoSummary:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (email, role, organisation)
    respondent_links: list[tuple[str, str]] = field(default_factory=list)  # (description, url)
    open_round: ScanRound | None = None
    closed_round: ScanRound | None = None


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
