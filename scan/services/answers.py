"""Answers: saving a wizard step idempotently, starting and submitting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ScanError
from ..modeldoc import ModelDoc
from ..models import (
    COMMENT_MAX_LENGTH,
    Answer,
    Respondent,
    StepComment,
)
from ..selectors import model_doc
from .links import LinkProblem, check_round_accepts_answers

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
        check_round_accepts_answers(respondent.round)
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
    updates: dict[str, Any] = {}
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
