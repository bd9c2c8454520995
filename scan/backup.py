"""Back up and restore one organisation's data as a JSON file (Django's serialisation).

The file holds the organisation, its members' accounts (by e-mail), rounds with the model
versions they pinned, respondents, answers, workshop levels and the improvement cycle.
Restoring into a database where the organisation is missing recreates it exactly; existing
shared records (accounts, model versions) are kept as they are."""

from __future__ import annotations

import itertools
import json

from django.apps import apps
from django.core import serializers
from django.db import transaction

# (model label, filter from the organisation), in an order that restores cleanly.
PARTS = [
    ("cms.User", "memberships__organisation"),
    ("scan.MaturityModel", "versions__rounds__organisation"),
    ("scan.ModelVersion", "rounds__organisation"),
    ("scan.Organisation", "pk"),
    ("scan.Membership", "organisation"),
    ("scan.ScanRound", "organisation"),
    ("scan.RespondentGroup", "round__organisation"),
    ("scan.OpenLink", "round__organisation"),
    ("scan.Respondent", "round__organisation"),
    ("scan.RespondentToken", "respondent__round__organisation"),
    ("scan.Answer", "respondent__round__organisation"),
    ("scan.StepComment", "respondent__round__organisation"),
    ("scan.OutgoingMail", "respondent__round__organisation"),
    ("scan.Consensus", "round__organisation"),
    ("actions.Ambition", "organisation"),
    ("actions.AmbitionTarget", "ambition__organisation"),
    ("actions.WorkingGroup", "organisation"),
    ("actions.ImprovementAction", "organisation"),
    ("actions.ActionCell", "action__organisation"),
    ("actions.ActionUpdate", "action__organisation"),
    ("actions.ActionEvent", "action__organisation"),
    ("actions.EvaluationSchedule", "organisation"),
    ("actions.Review", "round__organisation"),
    ("actions.ExternalMeasure", "organisation"),
    ("scan.AuditEvent", "organisation"),
]
SHARED = {"cms.User", "scan.MaturityModel", "scan.ModelVersion"}


def export_organisation(organisation) -> str:
    objects = []
    for label, lookup in PARTS:
        model = apps.get_model(label)
        qs = model.objects.filter(**{lookup: organisation.pk}).distinct().order_by("pk")
        objects.append(qs)
    return serializers.serialize(
        "json",
        itertools.chain.from_iterable(objects),
        indent=1,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=False,
    )


@transaction.atomic
def import_organisation(text: str) -> int:
    """Restore a backup; all or nothing. Returns the number of records written."""
    json.loads(text)  # a clear error for a file that is not JSON at all
    written = 0
    for item in serializers.deserialize("json", text, handle_forward_references=True):
        label = item.object._meta.label
        if label in SHARED and type(item.object).objects.filter(pk=item.object.pk).exists():
            continue
        if label == "scan.ModelVersion":
            type(item.object).objects.bulk_create(
                [item.object]
            )  # versions refuse save() on existing pk
        else:
            item.save()
        written += 1
    return written
