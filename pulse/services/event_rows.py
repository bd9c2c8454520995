"""Writing a checked batch of new events with their contact and invitation.

On PostgreSQL by COPY: the events' ids are drawn from their sequence first, so the three tables
are filled in four round trips without a Python model or a bound parameter per value (Django's
bulk_create spent most of an ingest there). Elsewhere (SQLite) by bulk_create. Both are given
the same rows, worked out once by the caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection, models

from ..models import Contact, PulseEvent, PulseInvitation


class NewEvent(NamedTuple):
    """One new event as stored: the event, its contact and its invitation."""

    source_id: str
    moment_id: int
    partner_id: int | None
    area: str
    occurred_on: dt.date
    email: str
    phone: str
    address_key: str
    channel: str
    link_nonce: str
    token_hash: str
    send_after: dt.datetime
    expires_at: dt.datetime
    status: str


# The rows' parts that go to each table.
EVENT = slice(0, 5)
CONTACT = slice(5, 8)
INVITATION = slice(8, None)


def events_write(*, organisation_id: int, rows: Sequence[NewEvent]) -> list[int]:
    """Store the rows; returns the new events' ids in the rows' order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy_all(organisation_id, rows)
    return _bulk_create_all(organisation_id, rows)


def _part(row: NewEvent, part: slice) -> tuple:
    return tuple(row)[part]


def _bulk_create_all(organisation_id: int, rows: Sequence[NewEvent]) -> list[int]:
    def fields(row: NewEvent, part: slice) -> dict:
        return dict(zip(NewEvent._fields[part], _part(row, part), strict=True))

    events = PulseEvent.objects.bulk_create(
        [PulseEvent(organisation_id=organisation_id, **fields(r, EVENT)) for r in rows]
    )
    ids = [event.pk for event in events]
    Contact.objects.bulk_create(
        [Contact(event_id=pk, **fields(r, CONTACT)) for pk, r in zip(ids, rows, strict=True)]
    )
    PulseInvitation.objects.bulk_create(
        [
            PulseInvitation(event_id=pk, **fields(r, INVITATION))
            for pk, r in zip(ids, rows, strict=True)
        ]
    )
    return ids


def _copy_all(organisation_id: int, rows: Sequence[NewEvent]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [PulseEvent._meta.db_table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        pg = cursor.cursor
        _copy(
            pg,
            PulseEvent,
            ("id", "organisation_id", *NewEvent._fields[EVENT]),
            ((pk, organisation_id, *_part(r, EVENT)) for pk, r in zip(ids, rows, strict=True)),
        )
        for model, part in ((Contact, CONTACT), (PulseInvitation, INVITATION)):
            _copy(
                pg,
                model,
                ("event_id", *NewEvent._fields[part]),
                ((pk, *_part(r, part)) for pk, r in zip(ids, rows, strict=True)),
            )
    return ids


def _copy(cursor, model: type[models.Model], fields: tuple[str, ...], rows: Iterable[tuple]):
    """COPY the rows into the model's table. Every other column but the primary key takes its
    field's default, as a model instance would: the database holds no defaults."""
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    rest = [f for f in meta.concrete_fields if f.attname not in fields and not f.primary_key]
    defaults = tuple(f.get_default() for f in rest)
    columns = [by_attname[name].column for name in fields] + [f.column for f in rest]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + defaults)
