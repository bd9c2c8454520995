"""The demo improvement cycle around two rounds: ambition, working group, actions, measures,
schedule and a signed-off review."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from actions import services as cycle
from actions.models import ImprovementAction, Review
from core.models import Organisation
from core.permissions import access_for
from scan.models import ScanRound

from ..models import User


def ensure_cycle(org: Organisation, baseline: ScanRound, follow_up: ScanRound) -> None:
    """Ambition, working group, actions (some done between the rounds), measures, schedule and
    a signed-off review of the re-evaluation."""
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
                access=access_for(owner, org),
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
                    action=action,
                    access=access_for(owner, action.organisation),
                    revision=action.revision,
                    status=status,
                )
            if status == "done":
                ImprovementAction.objects.filter(pk=action.pk).update(completed_at=done_at)
                cycle.action_progress(
                    action=action,
                    access=access_for(owner, action.organisation),
                    note="Afgerond en met het team geëvalueerd.",
                )
    if not org.external_measures.exists():
        sector = (7.5, 7.3, 7.6)  # the benchmark's average of all corporations
        rows = "bron;meting;periode;einddatum;waarde;sectorgemiddelde\n" + "\n".join(
            f"Aedes-benchmark;{kind};{year}-K{q};{year}-{q * 3:02d}-28;{value};{average}"
            for year, q, values in (
                (2025, 2, (7.1, 6.6, 7.4)),
                (2025, 4, (7.2, 6.9, 7.4)),
                (2026, 2, (7.4, 7.3, 7.5)),
            )
            for kind, value, average in zip(
                ("betrekken", "reparaties", "verlaten"), values, sector, strict=True
            )
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
                access=access_for(consultant, follow_up.organisation),
                revision=review.revision,
                final=True,
                summary="De honingraat kleurt op reparaties en gastvrijheid duidelijk donkerder dan bij de nulmeting. "
                "Huurders zien reparaties nog steeds kritischer dan medewerkers: daar blijft de werkgroep op sturen.",
            )
        cycle.review_sign_off(
            scan_round=follow_up,
            access=access_for(director, follow_up.organisation),
            comment="Akkoord. Goede stap; blijf op de keten sturen.",
            revision=Review.objects.get(pk=review.pk).revision,
        )
