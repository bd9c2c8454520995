"""Events in: completed customer moments from the corporation's systems (API or file).

All or nothing: every item is checked first and every problem named with its field (and row
for files); nothing is stored when one item is wrong. Idempotent on the source system's id:
an event sent twice is stored once."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
from collections.abc import Callable
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
    ContractPartner,
    CustomerMoment,
    InvitationStatus,
    PulseEvent,
    PulseInvitation,
)
from .event_rows import NewEvent, events_write

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
    event_ids: list[int] = field(default_factory=list)

    @property
    def events(self) -> list[PulseEvent]:
        """The new events in the batch's order, loaded when asked for (the API only counts)."""
        found = PulseEvent.objects.select_related("invitation", "moment").in_bulk(self.event_ids)
        return [found[pk] for pk in self.event_ids]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


@functools.lru_cache(maxsize=4096)  # a batch holds a few dozen different dates
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


def _check(item: EventInput, where: Callable[[], str], moments: dict, today: dt.date) -> list[str]:
    """The item's problems, each named by ``where()`` (only asked for when there is one)."""
    problems = []
    if not item.source_id.strip() or len(item.source_id) > 80:
        problems.append(
            _("%(where)s: field source_id must be 1 to 80 characters.") % {"where": where()}
        )
    if _fold(item.moment) not in moments:
        problems.append(
            _(
                "%(where)s: field moment '%(value)s' is not a customer moment of this organisation (use one of: %(known)s)."
            )
            % {
                "where": where(),
                "value": item.moment[:40],
                "known": ", ".join(sorted({m.code for m in moments.values()})),
            }
        )
    occurred = _date(item.occurred_on)
    if occurred is None:
        problems.append(
            _("%(where)s: field date '%(value)s' is not a date (YYYY-MM-DD).")
            % {"where": where(), "value": item.occurred_on[:20]}
        )
    elif occurred > today or occurred < today - dt.timedelta(days=366):
        problems.append(
            _("%(where)s: field date must lie within the past year.") % {"where": where()}
        )
    if len(item.partner) > 160 or len(item.area) > 80:
        problems.append(
            _("%(where)s: partner (160) or area (80) is too long.") % {"where": where()}
        )
    if item.email:
        try:
            validate_email(item.email.strip())
        except ValidationError:
            problems.append(
                _("%(where)s: field email is not a valid e-mail address.") % {"where": where()}
            )
    if item.phone and not _phone(item.phone):
        problems.append(_("%(where)s: field phone is not a phone number.") % {"where": where()})
    if not item.email and not item.phone:
        problems.append(
            _("%(where)s: give an email or a phone number to invite the tenant.")
            % {"where": where()}
        )
    return problems


def _label(labels: list[str] | None, index: int) -> str:
    return labels[index] if labels else _("Event %(n)s") % {"n": index}


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
        where = functools.partial(_label, labels, index)
        problems += _check(item, where, moments, today)
        earlier = seen.get(item.source_id)
        if earlier is not None and earlier != item:
            problems.append(
                _("%(where)s: source_id %(id)s appears twice with different data.")
                % {"where": where(), "id": item.source_id}
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
    if not new:
        return report
    partners = _partners(organisation, {i.partner.strip() for i in new if i.partner.strip()})
    keys = [address_key(i.email, i.phone) for i in new]
    asked = _recently_asked(organisation, keys)
    now = timezone.now()
    invite_at: dict[tuple[dt.date, int], dt.datetime] = {}  # a batch has few dates
    rows = []
    for item, key in zip(new, keys, strict=True):
        moment = moments[_fold(item.moment)]
        occurred = _checked_date(item.occurred_on)
        when = (occurred, moment.invite_after_days)
        if when not in invite_at:
            invite_at[when] = timezone.make_aware(
                dt.datetime.combine(occurred, dt.time(10)) + dt.timedelta(days=when[1])
            )
        send_after = max(now, invite_at[when])
        # One invitation per address per quiet period, this batch included.
        skipped = key in asked
        asked.add(key)
        nonce = new_nonce()
        rows.append(
            NewEvent(
                source_id=item.source_id,
                moment_id=moment.pk,
                partner_id=partners.get(item.partner.strip()),
                area=item.area.strip(),
                occurred_on=occurred,
                email=item.email.strip().lower(),
                phone=_phone(item.phone),
                address_key=key,
                channel=Channel.EMAIL if item.email else Channel.SMS,
                link_nonce=nonce,
                token_hash=link_hash(nonce),
                send_after=send_after,
                expires_at=send_after + dt.timedelta(days=LINK_DAYS),
                status=InvitationStatus.SKIPPED if skipped else InvitationStatus.SCHEDULED,
            )
        )
        report.skipped_recently_asked += skipped
    report.event_ids = events_write(organisation_id=organisation.pk, rows=rows)
    report.created = len(rows)
    report.invitations = report.created - report.skipped_recently_asked
    return report


def _partners(organisation, names: set[str]) -> dict[str, int]:
    """The partner's id for each name; a partner not known yet is added."""
    by_code = {slugify(n)[:60]: n for n in names}
    existing = dict(
        ContractPartner.objects.filter(organisation=organisation, code__in=by_code).values_list(
            "code", "pk"
        )
    )
    missing = [
        ContractPartner(organisation=organisation, code=code, name=name)
        for code, name in by_code.items()
        if code not in existing
    ]
    for partner in ContractPartner.objects.bulk_create(missing):
        existing[partner.code] = partner.pk
    return {name: existing[slugify(name)[:60]] for name in names}


def _recently_asked(organisation, keys: list[str]) -> set[str]:
    """The addresses this organisation invited within KLANTRAAT_PULSE_QUIET_DAYS. Another
    corporation's invitation neither silences this one nor shows in the upload's "skipped"
    count (that would tell one client about another's tenants)."""
    quiet = dt.timedelta(days=getattr(settings, "KLANTRAAT_PULSE_QUIET_DAYS", 90))
    return set(
        PulseInvitation.objects.filter(
            event__organisation=organisation,
            event__contact__address_key__in=set(keys),
            send_after__gte=timezone.now() - quiet,
        )
        .exclude(status=InvitationStatus.SKIPPED)
        .values_list("event__contact__address_key", flat=True)
    )


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
