"""Working groups: an organisation has several, each with a chair and members; a group can own
actions, and its members see and update them."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Membership, Organisation

from ..errors import CycleError
from ..models import (
    WorkingGroup,
)

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


# --- working group ------------------------------------------------------------------------


@transaction.atomic
def working_group_set(
    *,
    organisation: Organisation,
    name: str,
    chair,
    members: list,
    user,
    group: WorkingGroup | None = None,
) -> WorkingGroup:
    """Create a working group (``group`` None: a new one, or the one with this name) or change
    ``group``. Chair and members must belong to the organisation; names are unique in it."""
    name = (name or "").strip()[:120]
    if not name:
        raise CycleError(_("Give the working group a name."))
    if group is not None and group.organisation_id != organisation.pk:
        raise CycleError(_("This working group belongs to another organisation."))
    allowed = set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    for person in [chair, *members]:
        if person is not None and person.pk not in allowed:
            raise CycleError(
                _("%(person)s is not a member of this organisation.") % {"person": person}
            )
    same_name = WorkingGroup.objects.filter(organisation=organisation, name=name)
    if group is None:
        group = same_name.first() or WorkingGroup(organisation=organisation)
    elif same_name.exclude(pk=group.pk).exists():
        raise CycleError(_("There is already a working group called “%(name)s”.") % {"name": name})
    group.name = name
    group.chair = chair
    group.save()
    group.members.set([m.pk for m in members] + ([chair.pk] if chair else []))
    return group
