"""Every change in the scan app goes through these functions, one module per aggregate: views,
admin, tasks and management commands call them alike."""

from core.tabular import ImportRejected, read_rows

from ..errors import ScanError
from .answers import (
    NOT_APPLICABLE,
    AnswerInput,
    answer_save,
    answers_save,
    missing_statements,
    respondent_start,
    respondent_submit,
)
from .links import (
    LinkProblem,
    check_round_accepts_answers,
    open_link_create,
    open_link_for_token,
    open_link_join,
    open_link_resume,
    open_link_revoke,
    respondent_for_token,
    respondent_issue_link,
    respondent_revoke_links,
)
from .mail import invitations_queue, mails_retry_failed, reminders_queue, respondent_reissue_link
from .mail_texts import TextSource, render_mail, respondent_link_url
from .maturity_models import (
    model_document_from_snippet,
    model_export,
    model_import,
    model_version_publish,
)
from .people import CONSULTANT_GROUP, consultant_grant_cms_access
from .previews import invitation_previews
from .respondents import (
    ImportReport,
    respondent_add,
    respondent_delete,
    respondent_erase_personal_data,
    respondents_import,
    respondents_import_preview,
)
from .round_copy import (
    CopyReport,
    respondents_copy,
    round_copy_setup,
    round_create_as_copy,
    round_departments,
)
from .round_edit import RoundChange, round_date_warnings, round_has_answers, round_update
from .rounds import (
    DEFAULT_GROUP_NAMES,
    ROUND_NOT_DRAFT,
    ROUND_SIGNED,
    round_create,
    round_delete,
    round_set_status,
    round_status_problem,
)
from .workshop import ROUND_LOCKED, consensus_record, round_is_locked

__all__ = [
    "ROUND_LOCKED",
    "round_is_locked",
    "CONSULTANT_GROUP",
    "DEFAULT_GROUP_NAMES",
    "NOT_APPLICABLE",
    "AnswerInput",
    "ImportRejected",
    "ImportReport",
    "LinkProblem",
    "ScanError",
    "answer_save",
    "answers_save",
    "check_round_accepts_answers",
    "consensus_record",
    "consultant_grant_cms_access",
    "invitation_previews",
    "TextSource",
    "invitations_queue",
    "mails_retry_failed",
    "model_document_from_snippet",
    "model_export",
    "model_import",
    "model_version_publish",
    "missing_statements",
    "open_link_create",
    "open_link_for_token",
    "open_link_join",
    "open_link_resume",
    "open_link_revoke",
    "read_rows",
    "reminders_queue",
    "render_mail",
    "respondent_add",
    "respondent_delete",
    "respondent_erase_personal_data",
    "respondent_for_token",
    "respondent_issue_link",
    "respondent_link_url",
    "respondent_reissue_link",
    "respondent_revoke_links",
    "respondent_start",
    "respondent_submit",
    "respondents_import",
    "respondents_import_preview",
    "respondents_copy",
    "RoundChange",
    "round_date_warnings",
    "round_has_answers",
    "round_update",
    "round_status_problem",
    "round_copy_setup",
    "round_create_as_copy",
    "round_create",
    "round_delete",
    "round_departments",
    "CopyReport",
    "ROUND_NOT_DRAFT",
    "ROUND_SIGNED",
    "round_set_status",
]
