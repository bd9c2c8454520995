"""Setting up the pulse for an organisation: moments with questionnaires, partners, tokens."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import Organisation
from core.tokens import new_token, token_digest

from ..models import ContractPartner, CustomerMoment, IngestToken, Questionnaire
from ..questionnaires import DEFAULT_MOMENTS, questionnaire_document

INGEST_TOKEN_DAYS = 365


@transaction.atomic
def moments_install_defaults(*, organisation: Organisation) -> list[CustomerMoment]:
    """Repair, moving in and moving out with their default questionnaires; idempotent."""
    moments = []
    for code, spec in DEFAULT_MOMENTS.items():
        moment, created = CustomerMoment.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={
                "kind": spec["kind"],
                "name_nl": spec["name"]["nl"],
                "name_en": spec["name"]["en"],
                "invite_after_days": spec["invite_after_days"],
            },
        )
        if created:
            Questionnaire.objects.create(
                moment=moment, number=1, document=questionnaire_document(code)
            )
        moments.append(moment)
    return moments


def partner_create(*, organisation: Organisation, name: str) -> ContractPartner:
    partner, _created = ContractPartner.objects.get_or_create(
        organisation=organisation, code=slugify(name)[:60], defaults={"name": name.strip()}
    )
    return partner


def ingest_token_create(
    *, organisation: Organisation, name: str, user=None, days: int = INGEST_TOKEN_DAYS
) -> tuple[IngestToken, str]:
    """A token for the corporation's systems; the token itself is shown once."""
    token = new_token()
    record = IngestToken.objects.create(
        organisation=organisation,
        name=name,
        token_hash=token_digest(token),
        created_by=user if getattr(user, "pk", None) else None,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return record, token
