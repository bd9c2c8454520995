"""Setting up the pulse for an organisation: moments with questionnaires, partners, tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from core.models import AccessToken, Organisation, TokenScope
from core.services.tokens import TOKEN_DAYS, token_create

from ..models import ContractPartner, CustomerMoment, Questionnaire
from ..questionnaires import DEFAULT_MOMENTS, questionnaire_document


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
    *, organisation: Organisation, name: str, user=None, days: int = TOKEN_DAYS
) -> tuple[AccessToken, str]:
    """A token for the corporation's systems to send events; the token itself is shown once."""
    return token_create(
        scope=TokenScope.PULSE_EVENTS,
        name=name,
        organisation=organisation,
        created_by=user,
        days=days,
    )
