"""Importing respondents from a CSV or Excel file: the columns people's HR systems export,
group spellings, a preview with every problem in row order, and what was chosen remembered
per organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.tabular import Column, ImportRejected, in_row_order, normalise, read_table

from ..models import GroupKind, Respondent, RespondentGroup, ScanRound

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
UNKNOWN_GROUP_ROWS = gettext_lazy(
    "Rows %(rows)s: group '%(group)s' is not part of this round (use one of: %(allowed)s, "
    "or choose its group below)."
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
class GroupCount:
    """How a value of the file's group column is read: 'Bestuur / MT' -> Bestuur en MT."""

    value: str
    group: RespondentGroup | None
    rows: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import does (preview) or did: new respondents, those already present, empty
    rows skipped, and every problem in the file (any problem means nothing is written)."""

    pending: list[Respondent] = field(default_factory=list)
    created: list[Respondent] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    empty_rows: int = 0
    ignored_rows: int = 0
    header_row: int = 1
    rows: int = 0
    header: list[str] = field(default_factory=list)
    mapping: dict[str, int] = field(default_factory=dict)
    groups: list[GroupCount] = field(default_factory=list)

    @property
    def unknown_groups(self) -> list[GroupCount]:
        return [g for g in self.groups if g.group is None]


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (", …" if len(rows) > 10 else "")


def respondents_import_preview(
    *,
    scan_round: ScanRound,
    filename: str,
    content: bytes,
    mapping: dict[str, int] | None = None,
    group_values: dict[str, str] | None = None,
) -> ImportReport:
    """Read and check the whole file without writing anything. ``group_values`` maps values
    of the file's group column (normalised) to a group kind, as chosen in the preview or
    remembered from an earlier import of the organisation; so are the columns."""
    remembered = scan_round.organisation.import_mapping or {}
    table = read_table(
        filename=filename,
        content=content,
        columns=RESPONDENT_COLUMNS,
        mapping=mapping,
        remembered=remembered.get("columns"),
    )
    report = ImportReport(
        empty_rows=table.empty_rows,
        ignored_rows=table.ignored_rows,
        header_row=table.header_row,
        rows=len(table.rows),
        header=table.header,
        mapping=table.mapping,
    )
    located = list(table.located)
    groups = group_lookup(scan_round)
    by_kind = {g.kind: g for g in groups.values()}
    chosen = {**remembered.get("groups", {}), **(group_values or {})}
    for value, kind in chosen.items():
        if kind in by_kind:
            groups[_group_key(value)] = by_kind[kind]
    allowed = ", ".join(g.name for g in scan_round.groups.all())
    existing = {
        e.lower() for e in scan_round.respondents.exclude(email="").values_list("email", flat=True)
    }
    counts: dict[str, GroupCount] = {}
    seen: dict[str, int] = {}
    for row in table.rows:
        values = row.values
        email = values.get("email", "").lower()
        ok = True
        if email:
            try:
                validate_email(email)
            except ValidationError:
                located.append((row.number, INVALID_EMAIL % {"row": row.number, "email": email}))
                ok = False
        group_value = values.get("group", "")
        group = groups.get(_group_key(group_value))
        if group_value:
            count = counts.setdefault(
                _group_key(group_value), GroupCount(value=group_value, group=group)
            )
            count.rows.append(row.number)
        name = combined_name(values)
        # A column that is too long on its own is already named by the reader; this catches
        # first name + infix + last name that only together pass the limit.
        parts_fit = all(
            len(values.get(k) or "") <= 120 for k in ("name", "first_name", "infix", "last_name")
        )
        if len(name) > 120 and parts_fit:
            located.append((row.number, NAME_TOO_LONG % {"row": row.number, "name": name[:30]}))
        if not email or not ok or group is None:
            continue
        if email in seen:
            located.append(
                (
                    row.number,
                    DUPLICATE_EMAIL % {"row": row.number, "email": email, "first": seen[email]},
                )
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
    report.groups = list(counts.values())
    # One problem per unknown group value, at its first row, naming every row it is on.
    for count in report.unknown_groups:
        template = UNKNOWN_GROUP if len(count.rows) == 1 else UNKNOWN_GROUP_ROWS
        located.append(
            (
                count.rows[0],
                template
                % {
                    "row": count.rows[0],
                    "rows": _rows_text(count.rows),
                    "group": count.value,
                    "allowed": allowed,
                },
            )
        )
    report.problems = in_row_order(located)
    return report


def import_choices_remember(
    *, scan_round: ScanRound, header: list[str], mapping: dict[str, int], group_values: dict
) -> None:
    """Keep the columns (by the file's own header names) and group values chosen for this
    import, so the next export of the organisation's HR system is read the same way."""
    organisation = scan_round.organisation
    memory = dict(organisation.import_mapping or {})
    columns = dict(memory.get("columns", {}))
    for key, index in mapping.items():
        if 0 <= index < len(header) and header[index].strip():
            columns[key] = header[index].strip()[:120]
    memory["columns"] = columns
    kinds = set(scan_round.groups.values_list("kind", flat=True))
    groups = dict(memory.get("groups", {}))
    groups.update({v[:80]: k for v, k in group_values.items() if k in kinds})
    memory["groups"] = groups
    organisation.import_mapping = memory
    organisation.save(update_fields=["import_mapping"])


def respondents_import(
    *,
    scan_round: ScanRound,
    filename: str,
    content: bytes,
    mapping: dict[str, int] | None = None,
    group_values: dict[str, str] | None = None,
) -> ImportReport:
    """All or nothing: every row is checked first; any problem rejects the whole file with the
    list of all problems. Respondents already in the round are reported and left as they are."""
    report = respondents_import_preview(
        scan_round=scan_round,
        filename=filename,
        content=content,
        mapping=mapping,
        group_values=group_values,
    )
    if report.problems:
        raise ImportRejected(report.problems)
    with transaction.atomic():
        report.created = Respondent.objects.bulk_create(report.pending)
        if mapping or group_values:
            import_choices_remember(
                scan_round=scan_round,
                header=report.header,
                mapping=report.mapping if mapping else {},
                group_values=group_values or {},
            )
    return report
