"""The working group: its chair and members."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from scan.models import (
    Membership,
    Organisation,
)

from ..errors import CycleError
from ..models import (
    WorkingGroup,
)

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


# --- working group ------------------------------------------------------------------------


@transaction.atomic
def working_group_set(
    *, organisation: Organisation, name: str, chair, members: list, user
) -> WorkingGroup:
    allowed = set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    for person in [chair, *members]:
        if person is not None and person.pk not in allowed:
            raise CycleError(
                _("%(person)s is not a member of this organisation.") % {"person": person}
            )
    group, _created = WorkingGroup.objects.get_or_create(organisation=organisation)
    group.name = (name or group.name).strip()[:120]
    group.chair = chair
    group.save()
    group.members.set([m.pk for m in members] + ([chair.pk] if chair else []))
    return group
