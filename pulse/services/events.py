"""Events in: completed customer moments from the corporation's systems (API or file).

All or nothing: every item is checked first and every problem named with its field (and row
for files); nothing is stored when one item is wrong. Idempotent on the source system's id:
an event sent twice is stored once."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import Organisation
from core.tabular import MAX_FIELD_CHARS, Column, ImportRejected, read_table

from ..links import link_hash, new_nonce
from ..models import (
    Channel,
    Contact,
    ContractPartner,
    CustomerMoment,
    InvitationStatus,
    PulseEvent,
    PulseInvitation,
)

MAX_EVENTS = 10_000
LINK_DAYS = 14


class PulseError(ValidationError):
    """A pulse rule was broken; ``errors`` lists every problem, meant for the user."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(errors)


@dataclass(frozen=True)
class EventInput:
    source_id: str
    moment: str
    occurred_on: str
    partner: str = ""
    area: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class IngestReport:
    created: int = 0
    already_received: int = 0
    invitations: int = 0
    skipped_recently_asked: int = 0
    events: list[PulseEvent] = field(default_factory=list)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()[:10]
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def _checked_date(value: str) -> dt.date:
    """The date of an item that passed ``_check``."""
    day = _date(value)
    if day is None:
        raise ValueError(value)
    return day


def _phone(value: str) -> str:
    digits = "".join(c for c in (value or "") if c.isdigit() or c == "+")
    return digits if 10 <= len(digits.lstrip("+")) <= 15 else ""


def address_key(email: str, phone: str) -> str:
    basis = email.strip().lower() or _phone(phone)
    return hashlib.sha256(f"pulse-address:{basis}".encode()).hexdigest()


def _moment_index(organisation: Organisation) -> dict[str, CustomerMoment]:
    index: dict[str, CustomerMoment] = {}
    for moment in CustomerMoment.objects.filter(organisation=organisation, active=True):
        for alias in (moment.code, moment.kind, moment.name_nl, moment.name_en):
            index.setdefault(_fold(alias), moment)
    return index


def _check(item: EventInput, where: str, moments: dict, today: dt.date) -> list[str]:
    problems = []
    if not item.source_id.strip() or len(item.source_id) > 80:
        problems.append(
            _("%(where)s: field source_id must be 1 to 80 characters.") % {"where": where}
        )
    if _fold(item.moment) not in moments:
        problems.append(
            _(
                "%(where)s: field moment '%(value)s' is not a customer moment of this organisation (use one of: %(known)s)."
            )
            % {
                "where": where,
                "value": item.moment[:40],
                "known": ", ".join(sorted({m.code for m in moments.values()})),
            }
        )
    occurred = _date(item.occurred_on)
    if occurred is None:
        problems.append(
            _("%(where)s: field date '%(value)s' is not a date (YYYY-MM-DD).")
            % {"where": where, "value": item.occurred_on[:20]}
        )
    elif occurred > today or occurred < today - dt.timedelta(days=366):
        problems.append(
            _("%(where)s: field date must lie within the past year.") % {"where": where}
        )
    if len(item.partner) > 160 or len(item.area) > 80:
        problems.append(_("%(where)s: partner (160) or area (80) is too long.") % {"where": where})
    if item.email:
        try:
            validate_email(item.email.strip())
        except ValidationError:
            problems.append(
                _("%(where)s: field email is not a valid e-mail address.") % {"where": where}
            )
    if item.phone and not _phone(item.phone):
        problems.append(_("%(where)s: field phone is not a phone number.") % {"where": where})
    if not item.email and not item.phone:
        problems.append(
            _("%(where)s: give an email or a phone number to invite the tenant.") % {"where": where}
        )
    return problems


def events_ingest(
    *, organisation: Organisation, items: list[EventInput], labels: list[str] | None = None
) -> IngestReport:
    """Store new events with their contact and a scheduled invitation. Problems are named by
    ``labels`` (the spreadsheet's row numbers for a file) or by the item's index (API)."""
    if len(items) > MAX_EVENTS:
        raise PulseError([_("At most %(n)s events per request.") % {"n": MAX_EVENTS}])
    moments = _moment_index(organisation)
    today = timezone.localdate()
    problems: list[str] = []
    seen: dict[str, EventInput] = {}
    for index, item in enumerate(items):
        where = labels[index] if labels else _("Event %(n)s") % {"n": index}
        problems += _check(item, where, moments, today)
        earlier = seen.get(item.source_id)
        if earlier is not None and earlier != item:
            problems.append(
                _("%(where)s: source_id %(id)s appears twice with different data.")
                % {"where": where, "id": item.source_id}
            )
        seen[item.source_id] = item
    if problems:
        raise PulseError(problems)
    with transaction.atomic():
        # One batch per organisation at a time: two batches with the same source ids (a retry
        # sent while the first is still being stored) would both find the ids new and the
        # second would fail on the unique constraint. Locked, the second waits and then finds
        # them already received, as any repeat. (SQLite serialises writers by itself.)
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        return _store(organisation, list(seen.values()), moments)


def _store(organisation, items, moments) -> IngestReport:
    report = IngestReport()
    known = set(
        PulseEvent.objects.filter(
            organisation=organisation, source_id__in=[i.source_id for i in items]
        ).values_list("source_id", flat=True)
    )
    new = [i for i in items if i.source_id not in known]
    report.already_received = len(items) - len(new)
    partners = _partners(organisation, {i.partner.strip() for i in new if i.partner.strip()})
    events = PulseEvent.objects.bulk_create(
        [
            PulseEvent(
                organisation=organisation,
                source_id=i.source_id,
                moment=moments[_fold(i.moment)],
                partner=partners.get(slugify(i.partner.strip())[:60]),
                area=i.area.strip(),
                occurred_on=_checked_date(i.occurred_on),
            )
            for i in new
        ]
    )
    if not events:
        return report
    keys = [address_key(i.email, i.phone) for i in new]
    Contact.objects.bulk_create(
        [
            Contact(event=e, email=i.email.strip().lower(), phone=_phone(i.phone), address_key=k)
            for e, i, k in zip(events, new, keys, strict=True)
        ]
    )
    _schedule(organisation, events, new, keys, report)
    report.created = len(events)
    report.events = events
    return report


def _partners(organisation, names: set[str]) -> dict[str, ContractPartner]:
    by_code = {slugify(n)[:60]: n for n in names}
    existing = {
        p.code: p
        for p in ContractPartner.objects.filter(organisation=organisation, code__in=by_code)
    }
    missing = [
        ContractPartner(organisation=organisation, code=code, name=name)
        for code, name in by_code.items()
        if code not in existing
    ]
    for partner in ContractPartner.objects.bulk_create(missing):
        existing[partner.code] = partner
    return existing


def _schedule(organisation, events, items, keys, report: IngestReport) -> None:
    """One invitation per event; at most one per address per KLANTRAAT_PULSE_QUIET_DAYS from
    this organisation. Another corporation's invitation neither silences this one nor shows in
    the upload's "skipped" count (that would tell one client about another's tenants)."""
    now = timezone.now()
    quiet = dt.timedelta(days=getattr(settings, "KLANTRAAT_PULSE_QUIET_DAYS", 90))
    recent = set(
        PulseInvitation.objects.filter(
            event__organisation=organisation,
            event__contact__address_key__in=set(keys),
            send_after__gte=now - quiet,
        )
        .exclude(status=InvitationStatus.SKIPPED)
        .values_list("event__contact__address_key", flat=True)
    )
    invitations = []
    for event, item, key in zip(events, items, keys, strict=True):
        send_after = max(
            now,
            timezone.make_aware(
                dt.datetime.combine(event.occurred_on, dt.time(10))
                + dt.timedelta(days=event.moment.invite_after_days)
            ),
        )
        status = InvitationStatus.SKIPPED if key in recent else InvitationStatus.SCHEDULED
        recent.add(key)
        nonce = new_nonce()
        invitations.append(
            PulseInvitation(
                event=event,
                channel=Channel.EMAIL if item.email else Channel.SMS,
                link_nonce=nonce,
                token_hash=link_hash(nonce),
                send_after=send_after,
                expires_at=send_after + dt.timedelta(days=LINK_DAYS),
                status=status,
            )
        )
        if status == InvitationStatus.SKIPPED:
            report.skipped_recently_asked += 1
        else:
            report.invitations += 1
    PulseInvitation.objects.bulk_create(invitations)


# The headers of housing systems' exports. The pulse's own checks name what is wrong in a row
# (lengths, dates, addresses) and a tenant's phone number may start with "+": the shared reader
# only finds the columns and the rows.
FILE_COLUMNS = tuple(
    Column(key, label=key, synonyms=synonyms, max_length=MAX_FIELD_CHARS, text=False)
    for key, synonyms in {
        "source_id": (
            "source id",
            "bron id",
            "id",
            "ordernummer",
            "werkorder",
            "werkordernummer",
            "verhuurmutatie",
            "referentie",
        ),
        "moment": ("moment", "klantmoment", "customer moment", "soort"),
        "occurred_on": ("datum", "date", "gereed", "gereedmelding", "einddatum", "occurred on"),
        "partner": (
            "partner",
            "ketenpartner",
            "aannemer",
            "contractor",
            "leverancier",
            "contract partner",
        ),
        "area": ("complex", "wijk", "gebied", "area", "buurt"),
        "email": ("email", "e mail", "e mailadres", "emailadres"),
        "phone": ("telefoon", "telefoonnummer", "mobiel", "phone", "mobile"),
    }.items()
)
REQUIRED_FILE_COLUMNS = ("source_id", "moment", "occurred_on")


def events_import_file(
    *, organisation: Organisation, filename: str, content: bytes
) -> IngestReport:
    """A month of events from a CSV or Excel export, through the shared table reader (the
    header may sit below a title; reading stops at a total row)."""
    table = read_table(filename=filename, content=content, columns=FILE_COLUMNS)
    missing = [key for key in REQUIRED_FILE_COLUMNS if key not in table.mapping]
    if missing:
        raise ImportRejected(
            [
                _("Row %(row)s: the header misses the columns %(cols)s.")
                % {"row": table.header_row, "cols": ", ".join(missing)}
            ]
        )
    items = [
        EventInput(**{column.key: row.values.get(column.key, "") for column in FILE_COLUMNS})
        for row in table.rows
    ]
    labels = [_("Row %(n)s") % {"n": row.number} for row in table.rows]
    try:
        return events_ingest(organisation=organisation, items=items, labels=labels)
    except PulseError as exc:
        raise ImportRejected(exc.errors) from exc
