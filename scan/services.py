"""Every change in the scan app goes through these functions: views, admin, tasks and
management commands call them alike."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .modeldoc import GROUP_CODES, ModelDoc, dump_document, parse_model_file, validate_document
from .models import (
    COMMENT_MAX_LENGTH,
    Answer,
    Consensus,
    MailKind,
    MailTemplate,
    MaturityModel,
    ModelVersion,
    OpenLink,
    OutgoingMail,
    Respondent,
    RespondentGroup,
    RespondentToken,
    RoundStatus,
    ScanRound,
    StepComment,
)
from .selectors import model_doc
from .tokens import looks_like_token, new_token, token_digest

logger = logging.getLogger("klantraat.scan")
security_log = logging.getLogger("klantraat.security")


class ScanError(ValidationError):
    """A rule of the scan was broken; the message is meant for the user."""


# --- maturity model --------------------------------------------------------------------------


def _text(block: dict, name: str) -> dict:
    return {"nl": block.get(f"{name}_nl") or "", "en": block.get(f"{name}_en") or ""}


def _optional(text: dict) -> dict:
    return {k: v for k, v in text.items() if v}


def model_document_from_snippet(model: MaturityModel) -> dict:
    """The snippet's current content as a model document."""
    levels = sorted(
        (
            {
                "level": block.value["level"],
                "name": _text(block.value, "name"),
                "description": _text(block.value, "description"),
            }
            for block in model.levels
        ),
        key=lambda item: item["level"],
    )
    domains = []
    for block in model.domains:
        d = block.value
        cells = []
        for c in d["cells"]:
            statements = []
            for s in c["statements"]:
                statement = {"code": s["code"], "text": _text(s, "text")}
                if s["groups"]:
                    statement["groups"] = [g for g in GROUP_CODES if g in s["groups"]]
                if s["wording"]:
                    statement["wording"] = {w["group"]: _text(w, "text") for w in s["wording"]}
                statements.append(statement)
            cell = {
                "code": c["code"],
                "name": _text(c, "name"),
                "descriptors": {str(x["level"]): _text(x, "text") for x in c["descriptors"]},
                "statements": statements,
            }
            if _optional(_text(c, "description")):
                cell["description"] = _optional(_text(c, "description"))
            cells.append(cell)
        domain = {"code": d["code"], "name": _text(d, "name"), "cells": cells}
        if _optional(_text(d, "description")):
            domain["description"] = _optional(_text(d, "description"))
        domains.append(domain)
    document = {
        "schema": "klantraat-model/1",
        "code": model.code,
        "name": {"nl": model.name_nl, "en": model.name_en},
        "levels": levels,
        "domains": domains,
    }
    description = _optional({"nl": model.description_nl, "en": model.description_en})
    if description:
        document["description"] = description
    return document


def _stream_values(document: dict) -> tuple[list, list]:
    levels = [
        (
            "level",
            {
                "level": item["level"],
                "name_nl": item["name"]["nl"],
                "name_en": item["name"]["en"],
                "description_nl": item["description"]["nl"],
                "description_en": item["description"]["en"],
            },
        )
        for item in document["levels"]
    ]
    domains = []
    for d in document["domains"]:
        cells = []
        for c in d["cells"]:
            statements = [
                {
                    "code": s["code"],
                    "text_nl": s["text"]["nl"],
                    "text_en": s["text"]["en"],
                    "groups": list(s.get("groups") or []),
                    "wording": [
                        {"group": group, "text_nl": text["nl"], "text_en": text["en"]}
                        for group, text in (s.get("wording") or {}).items()
                    ],
                }
                for s in c["statements"]
            ]
            cells.append(
                {
                    "code": c["code"],
                    "name_nl": c["name"]["nl"],
                    "name_en": c["name"]["en"],
                    "description_nl": (c.get("description") or {}).get("nl", ""),
                    "description_en": (c.get("description") or {}).get("en", ""),
                    "descriptors": [
                        {"level": int(level), "text_nl": text["nl"], "text_en": text["en"]}
                        for level, text in sorted(c["descriptors"].items())
                    ],
                    "statements": statements,
                }
            )
        domains.append(
            (
                "domain",
                {
                    "code": d["code"],
                    "name_nl": d["name"]["nl"],
                    "name_en": d["name"]["en"],
                    "description_nl": (d.get("description") or {}).get("nl", ""),
                    "description_en": (d.get("description") or {}).get("en", ""),
                    "cells": cells,
                },
            )
        )
    return levels, domains


def _checksum(document: dict) -> str:
    return hashlib.sha256(
        json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@transaction.atomic
def model_import(*, text: str, user=None, publish: bool = False) -> MaturityModel:
    """Create or update a model from a YAML/JSON file. A file with any error changes nothing
    (ModelFileError lists every problem). Without ``publish`` the import is saved as a draft
    revision for a consultant to review and publish."""
    document = parse_model_file(text)
    levels, domains = _stream_values(document)
    description = document.get("description") or {}
    model = MaturityModel.objects.filter(code=document["code"]).first() or MaturityModel(
        code=document["code"], live=False
    )
    model.name_nl, model.name_en = document["name"]["nl"], document["name"]["en"]
    model.description_nl = description.get("nl", "")
    model.description_en = description.get("en", "")
    model.levels = levels
    model.domains = domains
    if model.pk is None:
        model.save()
    revision = model.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        model.refresh_from_db()
    return model


def model_export(model: MaturityModel, fmt: str = "yaml") -> str:
    return dump_document(model_document_from_snippet(model), fmt)


@transaction.atomic
def model_version_publish(*, model: MaturityModel, user=None) -> ModelVersion:
    """Freeze the live content into a new immutable version (unchanged content reuses the
    latest version)."""
    document = model_document_from_snippet(model)
    errors = validate_document(document)
    if errors:
        raise ScanError(errors)
    checksum = _checksum(document)
    latest = (
        ModelVersion.objects.select_for_update().filter(model=model).order_by("-number").first()
    )
    if latest and latest.checksum == checksum:
        return latest
    return ModelVersion.objects.create(
        model=model,
        number=(latest.number + 1 if latest else 1),
        document=document,
        checksum=checksum,
        published_by=user if getattr(user, "pk", None) else None,
    )


# --- people ------------------------------------------------------------------------------

CONSULTANT_GROUP = "Adviseurs"


def consultant_grant_cms_access(user) -> None:
    """Consultants work in the CMS: staff flag plus the consultants' permission group."""
    from django.contrib.auth.models import Group

    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group, created = Group.objects.get_or_create(name=CONSULTANT_GROUP)
    if created:  # normally made by a migration; rebuilt if the table was emptied
        from django.contrib.auth.models import Permission

        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
            | Permission.objects.filter(content_type__app_label="scan").exclude(
                codename__in=["change_modelversion", "delete_modelversion", "add_modelversion"]
            )
        )
    user.groups.add(group)


# --- rounds ------------------------------------------------------------------------------------


DEFAULT_GROUP_NAMES = {
    "board": "Bestuur en MT",
    "managers": "Leidinggevenden",
    "staff": "Medewerkers",
    "partners": "Ketenpartners",
    "tenants": "Huurders",
}


@transaction.atomic
def round_create(
    *,
    organisation,
    title: str,
    period: str,
    opens_on: dt.date,
    closes_on: dt.date,
    model_version: ModelVersion,
    group_kinds: list[str] | None = None,
    min_group_size: int = 5,
    created_by=None,
    previous_round: ScanRound | None = None,
) -> ScanRound:
    scan_round = ScanRound(
        organisation=organisation,
        title=title,
        period=period,
        opens_on=opens_on,
        closes_on=closes_on,
        model_version=model_version,
        min_group_size=min_group_size,
        created_by=created_by,
        previous_round=previous_round,
    )
    scan_round.full_clean()
    scan_round.save()
    kinds = group_kinds or list(GROUP_CODES)
    for position, kind in enumerate(k for k in GROUP_CODES if k in kinds):
        RespondentGroup.objects.create(
            round=scan_round, kind=kind, name=DEFAULT_GROUP_NAMES[kind], position=position
        )
    return scan_round


def round_set_status(*, scan_round: ScanRound, status: str) -> ScanRound:
    allowed = {
        RoundStatus.DRAFT: {RoundStatus.OPEN},
        RoundStatus.OPEN: {RoundStatus.CLOSED},
        RoundStatus.CLOSED: {RoundStatus.OPEN},
    }
    if status not in allowed[scan_round.status]:
        raise ScanError(
            _("A round cannot go from %(old)s to %(new)s.")
            % {
                "old": scan_round.get_status_display().lower(),
                "new": str(dict(RoundStatus.choices).get(status, status)).lower(),
            }
        )
    if status == RoundStatus.OPEN and scan_round.closes_on < timezone.localdate():
        raise ScanError(_("The closing date has passed: move it before opening the round."))
    scan_round.status = status
    scan_round.save(update_fields=["status", "updated_at"])
    return scan_round


# --- respondents and links --------------------------------------------------------------------


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


def respondent_issue_link(respondent: Respondent) -> str:
    """A new personal link; returns the token (shown or mailed once, never stored)."""
    token = new_token()
    RespondentToken.objects.create(respondent=respondent, token_hash=token_digest(token))
    return token


@transaction.atomic
def respondent_revoke_links(*, respondent: Respondent, user=None) -> int:
    count = respondent.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    security_log.info(
        "links revoked respondent=%s count=%s by=%s",
        respondent.pk,
        count,
        getattr(user, "pk", None),
    )
    from .audit import audit

    audit(
        "link_revoked",
        organisation=respondent.round.organisation,
        actor=user,
        respondent=respondent.pk,
        links=count,
    )
    return count


@transaction.atomic
def respondent_reissue_link(*, respondent: Respondent, user=None) -> str:
    respondent_revoke_links(respondent=respondent, user=user)
    return respondent_issue_link(respondent)


@transaction.atomic
def respondent_erase_personal_data(*, respondent: Respondent, user=None) -> Respondent:
    """On request: remove name, e-mail, department and free-text comments, withdraw the links,
    and keep the anonymous levels so the scores stay as they were."""
    from .audit import audit

    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
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
    return locked


class LinkProblem(Exception):
    """Why a link cannot be used; ``reason`` picks the message shown to the respondent."""

    def __init__(self, reason: str, scan_round: ScanRound | None = None):
        self.reason = reason
        self.scan_round = scan_round
        super().__init__(reason)


def respondent_for_token(token: str) -> Respondent:
    if not looks_like_token(token):
        raise LinkProblem("unknown")
    links = (
        RespondentToken.objects.select_related(
            "respondent__round__organisation",
            "respondent__round__model_version",
            "respondent__group",
        )
        # The model's checksum comes along; its document is parsed once per process.
        .defer("respondent__round__model_version__document")
        .filter(token_hash=token_digest(token))
    )
    try:
        link = links.get()  # unique hash: no ORDER BY needed, unlike first()
    except RespondentToken.DoesNotExist:
        raise LinkProblem("unknown") from None
    respondent = link.respondent
    if link.revoked_at is not None:
        raise LinkProblem("revoked", respondent.round)
    _check_round_accepts_answers(respondent.round)
    return respondent


def _check_round_accepts_answers(scan_round: ScanRound) -> None:
    if scan_round.status == RoundStatus.DRAFT or timezone.localdate() < scan_round.opens_on:
        raise LinkProblem("not_open", scan_round)
    if scan_round.status == RoundStatus.CLOSED or timezone.now() > scan_round.closes_at:
        raise LinkProblem("closed", scan_round)


@transaction.atomic
def open_link_create(
    *, scan_round: ScanRound, group: RespondentGroup, cap: int, closes_on: dt.date
) -> tuple[OpenLink, str]:
    if group.round_id != scan_round.pk:
        raise ScanError(_("That group does not belong to this round."))
    if closes_on > scan_round.closes_on:
        raise ScanError(_("An open link cannot stay open after the round closes."))
    token = new_token()
    link = OpenLink(
        round=scan_round, group=group, cap=cap, closes_on=closes_on, token_hash=token_digest(token)
    )
    link.full_clean()
    link.save()
    return link, token


@transaction.atomic
def open_link_join(token: str) -> tuple[Respondent, str]:
    """An anonymous visitor of an open link becomes a respondent with a personal link, so they
    too can stop and resume."""
    if not looks_like_token(token):
        raise LinkProblem("unknown")
    link = (
        OpenLink.objects.select_for_update()
        .select_related("round")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if link is None:
        raise LinkProblem("unknown")
    if link.revoked_at is not None:
        raise LinkProblem("revoked", link.round)
    _check_round_accepts_answers(link.round)
    if timezone.localdate() > link.closes_on:
        raise LinkProblem("closed", link.round)
    if link.respondents.count() >= link.cap:
        raise LinkProblem("full", link.round)
    respondent = Respondent.objects.create(round=link.round, group=link.group, open_link=link)
    return respondent, respondent_issue_link(respondent)


# --- respondent import ----------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[Respondent] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


class ImportRejected(ScanError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(errors)


MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
_HEADER_ALIASES = {
    "email": {"email", "e-mail", "e-mailadres", "emailadres", "mail"},
    "group": {"group", "groep", "respondentgroep"},
    "name": {"name", "naam"},
    "department": {"department", "afdeling", "team", "afdeling/team"},
}


def read_rows(filename: str, content: bytes) -> list[list[str]]:
    """The rows of an uploaded CSV or Excel file as text, for every importer (respondents
    here, external measures in actions). Too large or unreadable files are rejected whole."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRejected([_("The file is larger than 2 MB.")])
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ImportRejected(
                [_("The Excel file cannot be read: is it a real .xlsx file?")]
            ) from exc
        sheet = workbook.worksheets[0]
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if lower.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ImportRejected(
                    [_("The file is not a text file in UTF-8 or Windows encoding.")]
                ) from exc
        if "\x00" in text:
            raise ImportRejected([_("The file contains binary data: upload a CSV or Excel file.")])
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
            dialect.delimiter = ";" if text.count(";") > text.count(",") else ","
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise ImportRejected([_("Upload a .csv or .xlsx file.")])


def respondents_import(*, scan_round: ScanRound, filename: str, content: bytes) -> ImportReport:
    """All or nothing: every row is checked first; any bad row rejects the whole file with a
    list of row-level errors. Duplicates are reported and added once."""
    rows = [row for row in read_rows(filename, content) if any(row)]
    if not rows:
        raise ImportRejected([_("The file has no rows.")])
    header = [h.strip().lower() for h in rows[0]]
    columns = {}
    for key, aliases in _HEADER_ALIASES.items():
        for index, name in enumerate(header):
            if name in aliases:
                columns[key] = index
    missing = [k for k in ("email", "group") if k not in columns]
    if missing:
        raise ImportRejected(
            [
                _("Row 1: the header must name the columns email and group (missing: %(m)s).")
                % {"m": ", ".join(missing)}
            ]
        )
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ImportRejected([_("The file has more than %(n)s rows.") % {"n": MAX_IMPORT_ROWS}])
    groups = {}
    for group in scan_round.groups.all():
        for alias in (group.kind, group.name.lower(), group.get_kind_display().lower()):
            groups[alias] = group
    existing = set(scan_round.respondents.exclude(email="").values_list("email", flat=True))
    errors, report, seen, pending = [], ImportReport(), set(), []

    def cell(row, key):
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        email, group_name = cell(row, "email").lower(), cell(row, "group")
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Row %(row)s: '%(email)s' is not a valid e-mail address.")
                % {"row": number, "email": email}
            )
            continue
        group = groups.get(group_name.lower())
        if group is None:
            errors.append(
                _(
                    "Row %(row)s: group '%(group)s' is not part of this round (use one of: %(allowed)s)."
                )
                % {
                    "row": number,
                    "group": group_name,
                    "allowed": ", ".join(g.kind for g in scan_round.groups.all()),
                }
            )
            continue
        if len(cell(row, "name")) > 120 or len(cell(row, "department")) > 120:
            errors.append(
                _("Row %(row)s: name and department may be at most 120 characters.")
                % {"row": number}
            )
            continue
        if email in existing:
            report.duplicates.append(
                _("Row %(row)s: %(email)s is already a respondent.")
                % {"row": number, "email": email}
            )
            continue
        if email in seen:
            report.duplicates.append(
                _("Row %(row)s: %(email)s appears twice in the file.")
                % {"row": number, "email": email}
            )
            continue
        seen.add(email)
        pending.append(
            Respondent(
                round=scan_round,
                group=group,
                email=email,
                name=cell(row, "name"),
                department=cell(row, "department"),
            )
        )
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        report.created = Respondent.objects.bulk_create(pending)
    return report


# --- answers ------------------------------------------------------------------------------


NOT_APPLICABLE = "na"


@dataclass(frozen=True)
class AnswerInput:
    statement_code: str
    level: int | None
    comment: str = ""


def _lock_respondent(respondent: Respondent) -> Respondent:
    """Serialise writes of one respondent (two tabs, double clicks) on the respondent row, and
    read the round again: the caller's copy may be older than a close or an opening. Only the
    respondent's row is locked (`of`), never the round every respondent shares."""
    return (
        Respondent.objects.select_for_update(of=("self",))
        .select_related("round", "group")
        .get(pk=respondent.pk)
    )


def _check_can_answer(respondent: Respondent) -> None:
    if respondent.submitted_at is not None:
        raise ScanError(
            _("These answers have been submitted and can no longer be changed."), code="submitted"
        )
    try:
        _check_round_accepts_answers(respondent.round)
    except LinkProblem as exc:
        raise ScanError(_("This round is not open for answers."), code=exc.reason) from exc


def _validated(respondent: Respondent, item: AnswerInput, doc: ModelDoc) -> AnswerInput:
    statement = doc.statement_by_code.get(item.statement_code)
    if statement is None:
        raise ScanError(
            _("Statement %(code)s is not part of this scan.") % {"code": item.statement_code},
            code="unknown_statement",
        )
    if not statement.asks(respondent.group.kind):
        raise ScanError(
            _("Statement %(code)s is not asked to your group.") % {"code": item.statement_code},
            code="wrong_group",
        )
    if item.level is not None and (not isinstance(item.level, int) or not 1 <= item.level <= 5):
        raise ScanError(_("A level must be between 1 and 5."), code="level_range")
    if len(item.comment or "") > COMMENT_MAX_LENGTH:
        raise ScanError(
            _("A comment may be at most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH},
            code="comment_length",
        )
    return item


def answers_save(
    *,
    respondent: Respondent,
    answers: list[AnswerInput],
    cell_code: str | None = None,
    step_comment: str | None = None,
) -> None:
    """Save one step (or part of one) at once, idempotently: re-sending the same step updates
    the same rows. Any invalid item rejects the whole call."""
    doc = model_doc(respondent.round)
    with transaction.atomic():
        respondent = _lock_respondent(respondent)
        _check_can_answer(respondent)
        items = [_validated(respondent, item, doc) for item in answers]
        if cell_code is not None and step_comment is not None:
            if cell_code not in doc.cell_by_code:
                raise ScanError(_("Unknown step."), code="unknown_step")
            if len(step_comment) > COMMENT_MAX_LENGTH:
                raise ScanError(
                    _("A comment may be at most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH},
                    code="comment_length",
                )
        now = timezone.now()
        # One upsert for the whole step: the unique (respondent, statement) keeps it idempotent.
        Answer.objects.bulk_create(
            [
                Answer(
                    respondent=respondent,
                    statement_code=item.statement_code,
                    level=item.level,
                    comment=(item.comment or "").strip(),
                    updated_at=now,
                )
                for item in items
            ],
            update_conflicts=True,
            unique_fields=["respondent", "statement_code"],
            update_fields=["level", "comment", "updated_at"],
        )
        if cell_code is not None and step_comment is not None:
            if step_comment.strip():
                StepComment.objects.bulk_create(
                    [
                        StepComment(
                            respondent=respondent,
                            cell_code=cell_code,
                            comment=step_comment.strip(),
                            updated_at=now,
                        )
                    ],
                    update_conflicts=True,
                    unique_fields=["respondent", "cell_code"],
                    update_fields=["comment", "updated_at"],
                )
            else:
                StepComment.objects.filter(respondent=respondent, cell_code=cell_code).delete()
        if respondent.started_at is None:
            Respondent.objects.filter(pk=respondent.pk).update(started_at=timezone.now())


def answer_save(
    *, respondent: Respondent, statement_code: str, level: int | None, comment: str = ""
) -> None:
    answers_save(respondent=respondent, answers=[AnswerInput(statement_code, level, comment)])


def respondent_start(respondent: Respondent, language: str | None = None) -> None:
    updates = {}
    if respondent.started_at is None:
        updates["started_at"] = timezone.now()
    if language and language != respondent.language:
        updates["language"] = language
    if updates:
        Respondent.objects.filter(pk=respondent.pk).update(**updates)


def missing_statements(respondent: Respondent) -> list[str]:
    doc = model_doc(respondent.round)
    wanted = [s.code for s in doc.statements if s.asks(respondent.group.kind)]
    answered = set(respondent.answers.values_list("statement_code", flat=True))
    return [code for code in wanted if code not in answered]


def respondent_submit(respondent: Respondent) -> Respondent:
    """Lock the answers. Submitting twice is harmless; submitting with gaps is refused."""
    with transaction.atomic():
        locked = _lock_respondent(respondent)
        if locked.submitted_at is not None:
            return locked
        _check_can_answer(locked)
        missing = missing_statements(locked)
        if missing:
            raise ScanError(
                _("Not every statement has an answer yet (%(n)s open).") % {"n": len(missing)},
                code="incomplete",
            )
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at"])
        return locked


# --- mail ---------------------------------------------------------------------------------


DEFAULT_TEMPLATES = {
    (MailKind.INVITATION, "nl"): (
        "Uitnodiging: {round} van {organisation}",
        "Beste {name},\n\n{organisation} wil weten hoe klantgericht de organisatie werkt. Je mening telt: "
        "vul de scan in via je persoonlijke link. Dat duurt ongeveer 15 minuten en je kunt "
        "tussendoor stoppen en later verder gaan.\n\n{link}\n\nDe link is persoonlijk en werkt tot en "
        "met {closes_on}. Je antwoorden worden alleen per groep van minstens vijf mensen getoond.\n\n"
        "Met vriendelijke groet,\n{organisation}",
    ),
    (MailKind.INVITATION, "en"): (
        "Invitation: {round} of {organisation}",
        "Dear {name},\n\n{organisation} wants to know how customer-oriented we work. Your view counts: "
        "please answer the scan through your personal link. It takes about 15 minutes and you can "
        "stop and continue later.\n\n{link}\n\nThe link is personal and works until {closes_on}. "
        "Answers are only shown per group of at least five people.\n\nKind regards,\n{organisation}",
    ),
    (MailKind.REMINDER, "nl"): (
        "Herinnering: {round} van {organisation}",
        "Beste {name},\n\nWe hebben je antwoorden op de scan nog niet ontvangen. Wat je al hebt "
        "ingevuld is bewaard; via deze link ga je verder waar je was:\n\n{link}\n\nDe scan sluit na "
        "{closes_on}.\n\nMet vriendelijke groet,\n{organisation}",
    ),
    (MailKind.REMINDER, "en"): (
        "Reminder: {round} of {organisation}",
        "Dear {name},\n\nWe have not yet received your answers to the scan. What you already "
        "answered is saved; this link takes you back to where you were:\n\n{link}\n\nThe scan "
        "closes after {closes_on}.\n\nKind regards,\n{organisation}",
    ),
}


class _SafeFormat(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render_mail(kind: str, language: str, context: dict) -> tuple[str, str]:
    template = MailTemplate.objects.filter(kind=kind, language=language).first()
    subject, body = (
        (template.subject, template.body)
        if template
        else DEFAULT_TEMPLATES[(kind, language if language in ("nl", "en") else "nl")]
    )
    values = _SafeFormat(context)
    return subject.format_map(values).replace("\n", " "), body.format_map(values)


def respondent_link_url(token: str) -> str:
    from django.urls import reverse

    return settings.KLANTRAAT_BASE_URL + reverse("scan:respond", kwargs={"token": token})


def _publish_mail(mail_id: int) -> bool:
    """Hand one mail to the queue. With the broker down the row simply waits: the sweeper
    (mails_send_pending, run by beat) queues it again once the broker is back."""
    from .tasks import send_mail_task

    try:
        send_mail_task.delay(mail_id)
    except Exception:  # kombu raises several types when the broker is unreachable
        logger.warning("broker unavailable; mail %s waits for the sweeper", mail_id, exc_info=True)
        return False
    return True


def _enqueue_mails(mail_ids: list[int]) -> None:
    def send():
        for mail_id in mail_ids:
            _publish_mail(mail_id)

    transaction.on_commit(send)


PENDING_GRACE = dt.timedelta(minutes=2)


def _mail_seconds(name: str, default: dt.timedelta) -> dt.timedelta:
    """A mail timing from settings (seconds), read per call so a test worker can shorten it."""
    return dt.timedelta(seconds=getattr(settings, name, default.total_seconds()))


def mails_send_pending(now=None) -> int:
    """Queue again every mail that was never sent: its task was lost (broker down, worker
    killed before acknowledging). Sending stays idempotent through the claim in mail_send.
    Mails of a round that is not open wait until it opens again (mail_send refuses them)."""
    now = now or timezone.now()
    grace = _mail_seconds("KLANTRAAT_MAIL_PENDING_GRACE", PENDING_GRACE)
    claim_timeout = _mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
    pending = OutgoingMail.objects.filter(
        sent_at__isnull=True,
        created_at__lte=now - grace,
        respondent__round__status=RoundStatus.OPEN,
    ).exclude(claimed_at__gt=now - claim_timeout)
    return sum(_publish_mail(pk) for pk in pending.values_list("pk", flat=True))


@transaction.atomic
def invitations_queue(*, scan_round: ScanRound, respondents=None) -> int:
    """Queue one invitation per respondent that has none; calling it again queues nothing new."""
    if scan_round.status != RoundStatus.OPEN:
        raise ScanError(_("Open the round before sending invitations."))
    qs = (respondents if respondents is not None else scan_round.respondents.all()).exclude(
        email=""
    )
    qs = qs.exclude(mails__kind=MailKind.INVITATION)
    created = [
        OutgoingMail.objects.create(respondent=r, kind=MailKind.INVITATION, sequence=1) for r in qs
    ]
    _enqueue_mails([m.pk for m in created])
    return len(created)


REMINDER_INTERVAL = dt.timedelta(hours=20)


@transaction.atomic
def reminders_queue(*, scan_round: ScanRound, group: RespondentGroup | None = None) -> int:
    """Remind invited respondents who have not submitted; at most one reminder per respondent
    per day, so a double click sends nothing twice."""
    if not scan_round.is_open:
        raise ScanError(_("Reminders can only be sent while the round is open."))
    qs = scan_round.respondents.filter(
        submitted_at__isnull=True, mails__kind=MailKind.INVITATION
    ).exclude(email="")
    if group is not None:
        qs = qs.filter(group=group)
    cutoff = timezone.now() - REMINDER_INTERVAL
    created = []
    for respondent in qs.distinct():
        previous = respondent.mails.filter(kind=MailKind.REMINDER).order_by("-sequence").first()
        if previous and previous.created_at > cutoff:
            continue
        created.append(
            OutgoingMail.objects.create(
                respondent=respondent,
                kind=MailKind.REMINDER,
                sequence=(previous.sequence + 1 if previous else 1),
            )
        )
    _enqueue_mails([m.pk for m in created])
    return len(created)


CLAIM_TIMEOUT = dt.timedelta(minutes=10)


def mail_message_id(mail: OutgoingMail) -> str:
    """The same Message-ID on every attempt, built from the row and the site's host (never the
    link token): should a crash fall between the SMTP hand-off and recording sent_at, the
    resend is the same message to mail clients, which show it once."""
    from urllib.parse import urlsplit

    host = urlsplit(settings.KLANTRAAT_BASE_URL).hostname or "klantraat.invalid"
    return f"<mail-{mail.pk}.{mail.created_at:%Y%m%d%H%M%S%f}@{host}>"


def mail_send(mail_id: int) -> bool:
    """Send one queued mail at most once. Returns True when this call sent it.

    The row is claimed in its own transaction before sending, so a retried or duplicated task
    sees the claim and stops; a claim older than CLAIM_TIMEOUT (a worker that died before
    sending) may be taken over."""
    now = timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update()
            .select_related("respondent__round__organisation")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.sent_at is not None:
            return False
        claim_timeout = _mail_seconds("KLANTRAAT_MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT)
        if mail.claimed_at and now - mail.claimed_at < claim_timeout:
            return False
        mail.claimed_at = now
        mail.attempts += 1
        mail.save(update_fields=["claimed_at", "attempts"])
        respondent = mail.respondent
        scan_round = respondent.round
        if scan_round.status != RoundStatus.OPEN:
            mail.last_error = "round not open"
            mail.sent_at = None
            mail.save(update_fields=["last_error"])
            return False
        token = respondent_issue_link(respondent)
    language = respondent.language if respondent.language in ("nl", "en") else "nl"
    subject, body = render_mail(
        mail.kind,
        language,
        {
            "name": respondent.name or ("collega" if language == "nl" else "colleague"),
            "organisation": scan_round.organisation.name,
            "round": scan_round.title,
            "link": respondent_link_url(token),
            "closes_on": scan_round.closes_on.strftime("%d-%m-%Y"),
        },
    )
    try:
        EmailMultiAlternatives(
            subject=subject,
            body=body,
            to=[respondent.email],
            headers={"Message-ID": mail_message_id(mail)},
        ).send()
    except Exception as exc:
        OutgoingMail.objects.filter(pk=mail.pk).update(claimed_at=None, last_error=str(exc)[:500])
        raise
    OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), last_error="")
    return True


# --- workshop ------------------------------------------------------------------------------


def consensus_record(
    *, scan_round: ScanRound, cell_code: str, level: int, reason: str, user
) -> Consensus:
    doc = model_doc(scan_round)
    if cell_code not in doc.cell_by_code:
        raise ScanError(_("Cell %(code)s is not part of this round's model.") % {"code": cell_code})
    if not isinstance(level, int) or not 1 <= level <= 5:
        raise ScanError(_("A level must be between 1 and 5."))
    reason = (reason or "").strip()
    if not reason:
        raise ScanError(_("Give a short reason for the agreed level."))
    if len(reason) > 1000:
        raise ScanError(_("The reason may be at most 1000 characters."))
    consensus, _created = Consensus.objects.update_or_create(
        round=scan_round,
        cell_code=cell_code,
        defaults={"level": level, "reason": reason, "recorded_by": user},
    )
    return consensus
