"""Respondents: adding, importing from a file, erasing personal data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OutgoingMail

from ..errors import ScanError
from ..models import Respondent, RespondentGroup, ScanRound


def respondent_add(
    *,
    scan_round: ScanRound,
    group: RespondentGroup,
    email: str,
    name: str = "",
    department: str = "",
) -> Respondent:
    email = email.strip().lower()
    if group.round_id != scan_round.pk:
        raise ScanError(_("That group does not belong to this round."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ScanError(_("'%(email)s' is not a valid e-mail address.") % {"email": email}) from exc
    try:
        with transaction.atomic():
            return Respondent.objects.create(
                round=scan_round,
                group=group,
                email=email,
                name=name.strip(),
                department=department.strip(),
            )
    except IntegrityError as exc:
        raise ScanError(
            _("%(email)s is already a respondent in this round.") % {"email": email}
        ) from exc


# The import lives in its own module; these names stay importable from here.
from .respondent_import import (  # noqa: E402
    RESPONDENT_COLUMNS,
    ImportReport,
    combined_name,
    group_lookup,
    respondents_import,
    respondents_import_preview,
)

__all__ = [
    "RESPONDENT_COLUMNS",
    "ImportReport",
    "combined_name",
    "group_lookup",
    "respondent_add",
    "respondent_delete",
    "respondent_erase_personal_data",
    "respondent_has_answered",
    "respondents_import",
    "respondents_import_preview",
]


@transaction.atomic
def respondent_erase_personal_data(*, respondent: Respondent, user=None) -> Respondent:
    """On request: remove name, e-mail, department and free-text comments, withdraw the links,
    and keep the anonymous levels so the scores stay as they were."""
    from core.audit import audit

    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    written = _comments_written(locked)
    locked.tokens.all().delete()
    locked.answers.exclude(comment="").update(comment="")
    locked.step_comments.all().delete()
    # Their queued and sent messages go (the texts hold their name), RespondentMail with them.
    OutgoingMail.objects.filter(respondent_mail__respondent=locked).delete()
    locked.email = ""
    locked.name = ""
    locked.department = ""
    locked.personal_data_erased_at = timezone.now()
    locked.save(update_fields=["email", "name", "department", "personal_data_erased_at"])
    audit(
        "link_revoked",
        organisation=locked.round.organisation,
        actor=user,
        respondent=locked.pk,
        reason="personal data erased",
    )
    # Published copies (releases, signed snapshots, rendered packs) belong to the apps above;
    # they take the comments out in this same transaction.
    from wagtail import hooks

    for hook in hooks.get_hooks(RESPONDENT_ERASED_HOOK):
        hook(locked.round, locked.group.name, written)
    return locked


RESPONDENT_ERASED_HOOK = "klantraat_respondent_erased"


def _comments_written(respondent: Respondent) -> list[tuple[str, str]]:
    """(cell code, text) of every comment the respondent wrote, beside an answer or a step."""
    from ..selectors import model_doc

    cell_of = {
        statement: cell
        for statement, cell, _domain in model_doc(respondent.round).statement_frame_rows()
    }
    beside_answers = [
        (cell_of.get(code, ""), text)
        for code, text in respondent.answers.exclude(comment="").values_list(
            "statement_code", "comment"
        )
    ]
    on_steps = list(respondent.step_comments.values_list("cell_code", "comment"))
    return [(cell, text) for cell, text in beside_answers + on_steps if cell and text]


def respondent_has_answered(respondent: Respondent) -> bool:
    return (
        respondent.submitted_at is not None
        or respondent.answers.exists()
        or respondent.step_comments.exists()
    )


@transaction.atomic
def respondent_delete(*, respondent: Respondent, user=None) -> str:
    """Take a respondent out of a round. Whoever has answered keeps their anonymous answers
    (the scores do not change) and loses name, e-mail, department, comments and links;
    anyone else is removed with their links and mails. Returns "erased" or "removed"."""
    if respondent_has_answered(respondent):
        respondent_erase_personal_data(respondent=respondent, user=user)
        return "erased"
    from core.audit import audit

    audit(
        "respondent_deleted",
        organisation=respondent.round.organisation,
        actor=user,
        round=respondent.round_id,
        respondent=respondent.pk,
    )
    respondent.delete()
    return "removed"
