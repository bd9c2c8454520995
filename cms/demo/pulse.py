"""Demo data for the tenant pulse: a year of repair, move-in and move-out grades for two
contract partners of one corporation, a few fresh events waiting for their invitation, call-backs
(open, overdue and closed with its outcome), and a login per partner."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from core.models import Organisation
from pulse import aggregates
from pulse import services as pulse_services
from pulse.links import link_token
from pulse.models import CallBack, CallBackStatus, ContractPartner, PulseResponse
from pulse.scoring import DISSATISFIED_MAX

from ..models import User

PARTNERS = [
    # name, partner login, mean grade for repairs (one partner clearly weaker)
    ("Bouwbedrijf Jansen", "planner@bouwbedrijfjansen.nl", 7.6),
    ("Installatietechniek Noord", "service@installatietechnieknoord.nl", 6.4),
]
AREAS = ["Complex 12 De Hoven", "Wijk Zandweerd", "Binnenstad", "Colmschate"]
OPEN_ANSWERS = [
    "De monteur was op tijd en legde goed uit wat hij deed.",
    "Ik moest drie keer bellen voordat er iemand kwam.",
    "Netjes gewerkt, maar de afspraak werd pas na twee weken gemaakt.",
    "Prima geholpen, ook door de telefoon.",
    "Er werd niet opgeruimd na de reparatie.",
]


def _grade(rng: random.Random, mean: float) -> int:
    return max(1, min(10, round(rng.gauss(mean, 1.6))))


def ensure_pulse(organisation: Organisation, password: str) -> list[tuple[str, str, str]]:
    """Idempotent; returns the partner logins (email, role, organisation)."""
    moments = {
        m.code: m for m in pulse_services.moments_install_defaults(organisation=organisation)
    }
    partners = []
    logins = []
    for name, email, _mean in PARTNERS:
        partner = pulse_services.partner_create(organisation=organisation, name=name)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, password, first_name=name
        )
        partner.users.add(user)
        partners.append(partner)
        logins.append((email, "contract partner", f"{name} ({organisation.name})"))
    if PulseResponse.objects.filter(organisation=organisation).exists():
        return logins
    rng = random.Random(16)
    today = timezone.localdate()
    rows = []
    for months_ago in range(12, 0, -1):
        month = (today.replace(day=1) - dt.timedelta(days=30 * months_ago)).replace(day=1)
        improvement = (12 - months_ago) * 0.04
        for (_name, _email, mean), partner in zip(PARTNERS, partners, strict=True):
            for code, count, offset in (
                ("reparatie", 14, 0.0),
                ("woning_betrekken", 3, 0.3),
                ("woning_verlaten", 2, -0.2),
            ):
                moment = moments[code]
                questionnaire = moment.questionnaires.order_by("-number").first()
                assert questionnaire is not None  # every demo moment has its questionnaire
                for _ in range(count):
                    grade = _grade(rng, mean + offset + improvement)
                    rows.append(
                        PulseResponse(
                            organisation=organisation,
                            moment=moment,
                            questionnaire=questionnaire,
                            partner=partner,
                            area=rng.choice(AREAS),
                            month=month,
                            grade=grade,
                            drivers={
                                d["code"]: rng.random() < (grade / 11)
                                for d in questionnaire.document["drivers"]
                            },
                            effort=max(1, min(5, round(6 - grade / 2 + rng.gauss(0, 0.7)))),
                            open_answer=rng.choice(OPEN_ANSWERS) if rng.random() < 0.12 else "",
                        )
                    )
    aggregates.responses_add(rows)
    # Three call-backs: one due in three days, one overdue (with a phone number) and one
    # closed with its outcome, its contact details erased.
    lows = PulseResponse.objects.filter(
        organisation=organisation, grade__lte=DISSATISFIED_MAX
    ).order_by("-month", "pk")[:3]
    for index, low in enumerate(lows):
        CallBack.objects.create(
            organisation=organisation,
            response=low,
            partner=low.partner,
            email="huurder.terugbellen@example.nl" if index == 0 else "",
            phone="0612345678" if index == 1 else "",
            deadline=today + dt.timedelta(days=3 - 5 * index),
            status=CallBackStatus.DONE if index == 2 else CallBackStatus.OPEN,
            note="Gebeld; de monteur komt volgende week terug." if index == 2 else "",
            done_at=timezone.now() if index == 2 else None,
        )
    # Fresh events: their invitations go out through beat once `make run` is up.
    pulse_services.events_ingest(
        organisation=organisation,
        items=[
            pulse_services.EventInput(
                source_id=f"DEMO-WO-{n}",
                moment="reparatie",
                occurred_on=(today - dt.timedelta(days=3)).isoformat(),
                partner=PARTNERS[n % 2][0],
                area=AREAS[n % len(AREAS)],
                email=f"huurder{n}@example.nl",
            )
            for n in range(1, 4)
        ],
    )
    return logins


def survey_links(organisation: Organisation, base_url: str) -> list[tuple[str, str]]:
    from django.urls import reverse

    links = []
    for partner in ContractPartner.objects.filter(organisation=organisation):
        event = (
            partner.events.filter(invitation__status="scheduled")
            .select_related("invitation")
            .first()
        )
        if event is not None:
            token = link_token(event.invitation.link_nonce)
            links.append(
                (
                    f"Tenant survey after a repair by {partner.name}",
                    base_url + reverse("pulse_public:survey", kwargs={"token": token}),
                )
            )
    return links
