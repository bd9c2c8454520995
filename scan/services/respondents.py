"""Respondents: adding, importing from a file, erasing personal data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import ScanError
from ..models import GroupKind, Respondent, RespondentGroup, ScanRound
from ..tabular import Column, ImportRejected, normalise, read_table


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


# --- respondent import ----------------------------------------------------------------------

RESPONDENT_COLUMNS = (
    Column(
        "email",
        gettext_lazy("e-mail"),
        (
            "e-mail",
            "e-mailadres",
            "emailadres",
            "mail",
            "mailadres",
            "email address",
            "e-mail address",
        ),
        required=True,
        max_length=254,
    ),
    Column(
        "group",
        gettext_lazy("group"),
        ("groep", "respondentgroep", "doelgroep", "respondent group", "category", "categorie"),
        required=True,
        max_length=80,
    ),
    Column(
        "name", gettext_lazy("name"), ("naam", "volledige naam", "full name", "naam respondent")
    ),
    Column(
        "first_name",
        gettext_lazy("first name"),
        ("voornaam", "roepnaam", "voorletters", "firstname", "given name"),
    ),
    Column(
        "infix",
        gettext_lazy("infix"),
        ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix", "middle name"),
    ),
    Column(
        "last_name",
        gettext_lazy("last name"),
        ("achternaam", "familienaam", "lastname", "surname", "family name"),
    ),
    Column(
        "department",
        gettext_lazy("department"),
        ("afdeling", "team", "afdeling team", "afdeling/team", "department or team", "unit"),
    ),
)

GROUP_SYNONYMS = {
    "board": (
        "bestuur",
        "mt",
        "managementteam",
        "management team",
        "bestuur mt",
        "directie",
        "raad van bestuur",
        "rvb",
        "board",
        "management",
        "directie mt",
    ),
    "managers": (
        "leidinggevende",
        "leidinggevenden",
        "manager",
        "managers",
        "teamleider",
        "teamleiders",
        "teammanager",
        "teammanagers",
    ),
    "staff": (
        "medewerker",
        "medewerkers",
        "personeel",
        "collega",
        "collegas",
        "staff",
        "employee",
        "employees",
    ),
    "partners": (
        "partner",
        "partners",
        "ketenpartner",
        "ketenpartners",
        "contractpartner",
        "contractpartners",
        "contract partner",
        "contract partners",
        "aannemer",
        "aannemers",
        "leverancier",
        "leveranciers",
    ),
    "tenants": (
        "huurder",
        "huurders",
        "bewoner",
        "bewoners",
        "tenant",
        "tenants",
        "resident",
        "residents",
    ),
}

INVALID_EMAIL = gettext_lazy("Row %(row)s: '%(email)s' is not a valid e-mail address.")
DUPLICATE_EMAIL = gettext_lazy(
    "Row %(row)s: %(email)s appears earlier in the file (row %(first)s)."
)
UNKNOWN_GROUP = gettext_lazy(
    "Row %(row)s: group '%(group)s' is not part of this round (use one of: %(allowed)s)."
)
NAME_TOO_LONG = gettext_lazy("Row %(row)s: the name '%(name)s…' is longer than 120 characters.")
ALREADY_PRESENT = gettext_lazy("Row %(row)s: %(email)s is already a respondent.")


def _group_key(value: str) -> str:
    return " ".join(w for w in normalise(value).split() if w not in ("en", "and"))


def group_lookup(scan_round: ScanRound) -> dict[str, RespondentGroup]:
    """Every spelling of the round's groups: code, the round's own name, the Dutch and English
    names of the kind and common synonyms, all normalised (case, accents, slashes, 'en'/'&')."""
    lookup: dict[str, RespondentGroup] = {}
    for group in scan_round.groups.all():
        spellings = [group.kind, group.name, *GROUP_SYNONYMS.get(group.kind, ())]
        for language in ("nl", "en"):
            with translation.override(language):
                spellings.append(str(GroupKind(group.kind).label))
        for spelling in spellings:
            lookup.setdefault(_group_key(spelling), group)
    return lookup


def combined_name(values: dict[str, str]) -> str:
    """'Naam' when given, else first name, infix and last name: 'Jan van der Berg'."""
    if values.get("name"):
        return " ".join(values["name"].split())
    parts = (values.get("first_name", ""), values.get("infix", ""), values.get("last_name", ""))
    return " ".join(" ".join(parts).split())


@dataclass
class ImportReport:
    """What an import does (preview) or did: new respondents, those already present, empty
    rows skipped, and every problem in the file (any problem means nothing is written)."""

    pending: list[Respondent] = field(default_factory=list)
    created: list[Respondent] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    empty_rows: int = 0
    rows: int = 0
    header: list[str] = field(default_factory=list)
    mapping: dict[str, int] = field(default_factory=dict)


def respondents_import_preview(
    *, scan_round: ScanRound, filename: str, content: bytes, mapping: dict[str, int] | None = None
) -> ImportReport:
    """Read and check the whole file without writing anything."""
    table = read_table(
        filename=filename,
        content=content,
        columns=RESPONDENT_COLUMNS,
        mapping=mapping,
    )
    report = ImportReport(
        problems=list(table.problems),
        empty_rows=table.empty_rows,
        rows=len(table.rows),
        header=table.header,
        mapping=table.mapping,
    )
    groups = group_lookup(scan_round)
    allowed = ", ".join(g.name for g in scan_round.groups.all())
    existing = {
        e.lower() for e in scan_round.respondents.exclude(email="").values_list("email", flat=True)
    }
    seen: dict[str, int] = {}
    for row in table.rows:
        values = row.values
        email = values.get("email", "").lower()
        ok = True
        if email:
            try:
                validate_email(email)
            except ValidationError:
                report.problems.append(INVALID_EMAIL % {"row": row.number, "email": email})
                ok = False
        group_value = values.get("group", "")
        group = groups.get(_group_key(group_value))
        if group is None and group_value:
            report.problems.append(
                UNKNOWN_GROUP % {"row": row.number, "group": group_value, "allowed": allowed}
            )
        name = combined_name(values)
        # A column that is too long on its own is already named by the reader; this catches
        # first name + infix + last name that only together pass the limit.
        parts_fit = all(
            len(values.get(k) or "") <= 120 for k in ("name", "first_name", "infix", "last_name")
        )
        if len(name) > 120 and parts_fit:
            report.problems.append(NAME_TOO_LONG % {"row": row.number, "name": name[:30]})
        if not email or not ok or group is None:
            continue
        if email in seen:
            report.problems.append(
                DUPLICATE_EMAIL % {"row": row.number, "email": email, "first": seen[email]}
            )
            continue
        seen[email] = row.number
        if email in existing:
            report.duplicates.append(ALREADY_PRESENT % {"row": row.number, "email": email})
            continue
        report.pending.append(
            Respondent(
                round=scan_round,
                group=group,
                email=email,
                name=name[:120],
                department=values.get("department", ""),
            )
        )
    return report


def respondents_import(
    *, scan_round: ScanRound, filename: str, content: bytes, mapping: dict[str, int] | None = None
) -> ImportReport:
    """All or nothing: every row is checked first; any problem rejects the whole file with the
    list of all problems. Respondents already in the round are reported and left as they are."""
    report = respondents_import_preview(
        scan_round=scan_round, filename=filename, content=content, mapping=mapping
    )
    if report.problems:
        raise ImportRejected(report.problems)
    with transaction.atomic():
        report.created = Respondent.objects.bulk_create(report.pending)
    return report


@transaction.atomic
def respondent_erase_personal_data(*, respondent: Respondent, user=None) -> Respondent:
    """On request: remove name, e-mail, department and free-text comments, withdraw the links,
    and keep the anonymous levels so the scores stay as they were."""
    from ..audit import audit

    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    written = _comments_written(locked)
    locked.tokens.all().delete()
    locked.answers.exclude(comment="").update(comment="")
    locked.step_comments.all().delete()
    locked.mails.all().delete()
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
    from ..audit import audit

    audit(
        "respondent_deleted",
        organisation=respondent.round.organisation,
        actor=user,
        round=respondent.round_id,
        respondent=respondent.pk,
    )
    respondent.delete()
    return "removed"
