"""Ingest speed, run by pulse_bench.py: PULSE_BENCH_EVENTS events (default 10,000) through
POST /api/v1/pulse/events, 1,000 a request, beside a floor measured in the same run: the same
number of events with their contacts and invitations written straight into the three tables,
1,000 a transaction (COPY on PostgreSQL, executemany on SQLite), with no HTTP, no checks and
no quiet rule. The floor's invitations are stored as skipped, so the simulated month after it
does not send them."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import time

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

EVENTS = int(os.environ.get("PULSE_BENCH_EVENTS", "10000"))
EVENTS_PER_REQUEST = 1_000


def _payloads(firms: int) -> list[str]:
    today = timezone.localdate()
    return [
        json.dumps(
            {
                "events": [
                    {
                        "source_id": f"BENCH-{n}",
                        "moment": "reparatie",
                        "date": (today - dt.timedelta(days=1 + n % 20)).isoformat(),
                        "partner": f"Partnerbedrijf {n % firms:02d}",
                        "area": f"Complex {n % 30}",
                        "email": f"huurder{n}@example.nl",
                    }
                    for n in range(first, min(first + EVENTS_PER_REQUEST, EVENTS))
                ]
            }
        )
        for first in range(0, EVENTS, EVENTS_PER_REQUEST)
    ]


def ingest(organisation, firms: int) -> None:
    from pulse import services

    _, token = services.ingest_token_create(organisation=organisation, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    payloads = _payloads(firms)
    start = time.perf_counter()
    for payload in payloads:
        response = client.post(
            "/api/v1/pulse/events", payload, content_type="application/json", secure=True
        )
        if response.status_code != 200:
            raise SystemExit(f"ingest failed: {response.status_code} {response.content[:300]!r}")
    took = time.perf_counter() - start
    floor = _floor(organisation)
    print(
        f"ingest {EVENTS:,} events by POST /api/v1/pulse/events"
        f" ({EVENTS_PER_REQUEST:,} a request): {took:.2f} s, {EVENTS / took:,.0f} events/s;"
        f" floor (the same rows written straight): {floor:.2f} s, {EVENTS / floor:,.0f} events/s;"
        f" {took / floor:.1f}x"
    )


EVENT_COLUMNS = ["organisation_id", "source_id", "moment_id", "partner_id", "area"]
EVENT_COLUMNS += ["occurred_on", "received_at"]
CONTACT_COLUMNS = ["email", "phone", "address_key", "erased_at"]
INVITATION_COLUMNS = ["channel", "token_hash", "link_nonce", "send_after", "expires_at", "status"]
INVITATION_COLUMNS += ["sent_at", "reminded_at", "last_error", "delivery", "delivery_at"]
INVITATION_COLUMNS += ["delivery_reason", "provider_message_id"]


def _floor(organisation) -> float:
    from pulse.models import Contact, ContractPartner, CustomerMoment, PulseEvent, PulseInvitation

    moment = CustomerMoment.objects.get(organisation=organisation, code="reparatie")
    partners = list(ContractPartner.objects.filter(organisation=organisation))
    now = timezone.now()
    events, contacts, invitations = [], [], []
    for n in range(EVENTS):
        day = timezone.localdate() - dt.timedelta(days=1 + n % 20)
        partner = partners[n % len(partners)].pk
        events.append([organisation.pk, f"FLOOR-{n}", moment.pk, partner, "Complex", day, now])
        contacts.append([f"huurder{n}@example.nl", "", secrets.token_hex(32), None])
        link = [secrets.token_hex(32), secrets.token_hex(16), now, now, "skipped"]
        invitations.append(["email", *link, None, None, "", "", None, "", ""])
    start = time.perf_counter()
    for first in range(0, EVENTS, EVENTS_PER_REQUEST):
        chunk = slice(first, first + EVENTS_PER_REQUEST)
        with transaction.atomic(), connection.cursor() as cursor:
            ids = _new_ids(cursor, PulseEvent._meta.db_table, len(events[chunk]))
            _write(cursor, PulseEvent, ["id", *EVENT_COLUMNS], ids, events[chunk])
            _write(cursor, Contact, ["event_id", *CONTACT_COLUMNS], ids, contacts[chunk])
            _write(
                cursor, PulseInvitation, ["event_id", *INVITATION_COLUMNS], ids, invitations[chunk]
            )
    return time.perf_counter() - start


def _new_ids(cursor, table: str, n: int) -> list[int]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, n],
        )
        return [pk for (pk,) in cursor.fetchall()]
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + n))


def _write(cursor, model, columns: list[str], ids: list[int], rows: list[list]) -> None:
    table = model._meta.db_table
    values = [[pk, *row] for pk, row in zip(ids, rows, strict=True)]
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
