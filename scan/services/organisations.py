"""A consultant starts a new client in the app: the organisation, with its short name for
addresses, the respondent groups its rounds start with and a reply-to address; the consultant
serves it from then on and invites its coordinator from its page."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from core.models import Membership, Organisation, Role

from ..errors import ScanError
from ..modeldoc import GROUP_CODES

NAME_TAKEN = gettext_lazy("An organisation with this name already exists.")
SLUG_TAKEN = gettext_lazy("This short name is already in use: choose another.")
NOT_A_CONSULTANT = gettext_lazy("Only consultants start a new organisation.")


def slug_for(name: str) -> str:
    """A free short name from the organisation's name: 'Woonstichting De Linde' ->
    'woonstichting-de-linde', with a number added when it is taken."""
    base = (slugify(name) or "organisatie")[:70].strip("-") or "organisatie"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str = "",
    city: str = "",
    group_kinds: list[str] | None = None,
    reply_to: str = "",
    user,
) -> Organisation:
    from core.audit import audit
    from core.permissions import is_consultant_user

    if not is_consultant_user(user):
        raise ScanError(NOT_A_CONSULTANT)
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ScanError(NAME_TAKEN, code="name")
    slug = slugify(slug) if slug.strip() else slug_for(name)
    if Organisation.objects.filter(slug=slug).exists():
        raise ScanError(SLUG_TAKEN, code="slug")
    organisation = Organisation(
        name=name,
        slug=slug,
        city=city.strip(),
        reply_to=reply_to.strip().lower(),
        group_kinds=[k for k in GROUP_CODES if k in (group_kinds or GROUP_CODES)],
    )
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=Role.CONSULTANT)
    audit("organisation_created", organisation=organisation, actor=user, name=name)
    return organisation
