"""Events in from the corporation's systems: ``POST /api/v1/pulse/events``.

Authentication: ``Authorization: Bearer <token>`` with an organisation's ingest token (scope
``pulse:events``, with an expiry). Idempotent on ``source_id``; a malformed batch gets a 400
naming every field at fault, and nothing is stored."""

from __future__ import annotations

from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer
from pydantic import BaseModel

from core.api_auth import bearer_record
from core.models import AccessToken, TokenScope

from . import services
from .services.events import PulseError


class IngestAuth(HttpBearer):
    def authenticate(self, request, token: str):
        tokens = AccessToken.objects.for_scope(TokenScope.PULSE_EVENTS)
        record = bearer_record(tokens.select_related("organisation"), token)
        request.pulse_organisation = record.organisation
        return record


api = NinjaAPI(
    title="Klantraat tenant pulse API",
    version="1",
    description="Completed customer moments in; tenants are invited after the moment's delay.",
    auth=IngestAuth(),
    urls_namespace="pulse_api",
    docs_url=None,
)


# Plain pydantic models for what comes in: ninja's Schema wraps every item of a batch to read
# Django objects by attribute, which only what goes out needs (about half the parsing time).
class EventIn(BaseModel):
    source_id: str
    moment: str
    date: str
    partner: str = ""
    area: str = ""
    email: str = ""
    phone: str = ""


class BatchIn(BaseModel):
    events: list[EventIn]


class IngestOut(Schema):
    created: int
    already_received: int
    invitations: int
    skipped_recently_asked: int


class ProblemOut(Schema):
    detail: str
    problems: list[str]


@api.post("/events", response={200: IngestOut, 400: ProblemOut})
def post_events(request, batch: BatchIn):
    items = [
        services.EventInput(
            source_id=e.source_id,
            moment=e.moment,
            occurred_on=e.date,
            partner=e.partner,
            area=e.area,
            email=e.email,
            phone=e.phone,
        )
        for e in batch.events
    ]
    try:
        report = services.events_ingest(organisation=request.pulse_organisation, items=items)
    except PulseError as exc:
        return 400, {"detail": "invalid events", "problems": exc.errors}
    return 200, {
        "created": report.created,
        "already_received": report.already_received,
        "invitations": report.invitations,
        "skipped_recently_asked": report.skipped_recently_asked,
    }
