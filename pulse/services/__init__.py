"""Every change in the tenant pulse goes through these functions."""

from .call_backs import (
    call_back_assign,
    call_back_done,
    call_back_handlers,
    call_backs_send_overdue_digest,
)
from .cards import (
    card_for_token,
    card_link_active,
    card_link_create,
    card_link_revoke,
    card_response_submit,
)
from .events import EventInput, IngestReport, PulseError, events_import_file, events_ingest
from .invitations import contacts_erase_expired, invitations_send_due
from .responses import response_submit, survey_for_token
from .setup import ingest_token_create, moments_install_defaults, partner_create

__all__ = [
    "EventInput",
    "IngestReport",
    "PulseError",
    "call_back_assign",
    "call_back_done",
    "call_back_handlers",
    "call_backs_send_overdue_digest",
    "card_for_token",
    "card_link_active",
    "card_link_create",
    "card_link_revoke",
    "card_response_submit",
    "contacts_erase_expired",
    "events_import_file",
    "events_ingest",
    "ingest_token_create",
    "invitations_send_due",
    "moments_install_defaults",
    "partner_create",
    "response_submit",
    "survey_for_token",
]
