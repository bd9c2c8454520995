"""No malformed value gives a server error.

Every page of the URL matrix is opened by someone allowed to use it; every form on it (fields,
method, action) and every query parameter it uses (GET forms, links with ``?param=``) is then
sent malformed values, one field at a time and all fields at once: very long text, text for
numbers, negative, huge and just-too-large numbers, NUL bytes, impossible dates, unknown choices, a repeated
parameter, empty and missing values, odd unicode; uploads get an empty file, binary garbage and
a wrong extension. Path parameters get unknown, huge and over-long ids. Every answer must be
below 500, and a refused request (4xx) must not have written anything.

SQLite accepts what PostgreSQL refuses, so while fuzzing the database refuses the same as
PostgreSQL does: NUL characters in any query, text longer than its column, integers outside
the column's range. Each request runs in a savepoint that is rolled back, so every request
starts from the same data and the run is deterministic."""

from __future__ import annotations

import copy
import time
import traceback
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, connection, models, transaction
from django.db.models.signals import pre_save
from django.urls import Resolver404, get_resolver, resolve, reverse

from scan.models import RoundStatus
from tests import factories
from tests.security.test_access_matrix import (  # noqa: F401 - world is a fixture
    ADMIN_PREFIX,
    POLICY,
    POST_ALLOWED,
    client_for,
    concrete,
    counts,
    walk,
    world,
)

pytestmark = pytest.mark.django_db

# The one who opens each page: the first of these the matrix allows.
PREFERRED = ("consultant_a", "coordinator_a", "director_a", "workgroup_a", "anonymous")
SKIPPED_PREFIXES = ("api", "pulse_api")  # the APIs are fuzzed by tests/fuzz with their schema
HUGE = str(10**30)
VALUES = {
    "long": "x" * 200_000,
    "text": "zz-unknown",  # a word where a number, a date or a known choice belongs
    "negative": "-1",
    "huge": HUGE,
    "int32": str(2**31),  # one past what a PostgreSQL integer column holds
    "nul": "a\x00b",
    "date": "2025-02-30",
    "empty": "",
    "unicode": "²٣\u202e🏠e\u0301",
}
# One field at a time gets these (and "date" if it may hold one); every value goes to all
# fields at once as well.
PER_FIELD = ("text", "huge", "nul", "unicode")
DATE_KINDS = ("date", "text", "datetime-local", "month")
FILES = {
    "empty file": ("empty.csv", b""),
    "binary garbage": ("data.csv", bytes(range(256)) * 64),
    "wrong extension": ("model.exe", b"MZ\x90\x00 not what was asked for"),
}
SAMPLE_CSV = b"email;groep;naam\nnieuw@example.org;medewerkers;Nieuw\n"
PATH_VALUES = {"int": (HUGE,), "str": ("zz-unknown", "x" * 300)}
INT_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


@dataclass
class Field:
    kind: str
    defaults: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str) -> Field:
        return self.fields.setdefault(name, Field(kind))


class PageParser(HTMLParser):
    """The forms of a page (fields with their defaults and choices) and its links' queries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        name = a.get("name", "")
        if tag == "a" and "?" in a.get("href", ""):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or not name or name == "csrfmiddlewaretoken":
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                self._form.add(name, "button").choices.append(a.get("value", ""))
            elif kind in ("checkbox", "radio"):
                entry = self._form.add(name, kind)
                entry.choices.append(a.get("value", "on"))
                if "checked" in a:
                    entry.defaults.append(a.get("value", "on"))
            else:
                self._form.add(name, kind).defaults[:] = [a.get("value", "")]
        elif tag == "button":
            self._form.add(name, "button").choices.append(a.get("value", ""))
        elif tag == "select":
            self._select = self._form.add(name, "select")
        elif tag == "option" and self._select is not None:
            self._select.choices.append(a.get("value", ""))
            if "selected" in a:
                self._select.defaults.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._form.add(name, "textarea")
            self._textarea.defaults[:] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.defaults[0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def baseline(form: Form) -> dict[str, list[str]]:
    """What the form sends untouched: defaults, else the first choice of a radio, select or
    button; unchecked checkboxes and file fields send nothing."""
    data = {}
    for name, entry in form.fields.items():
        if entry.kind in ("file", "checkbox"):
            values = entry.defaults
        elif entry.kind in ("radio", "select", "button"):
            values = entry.defaults[:1] or entry.choices[:1]
        else:
            values = entry.defaults
        if values:
            data[name] = list(values)
    return data


def as_is(form: Form) -> dict:
    """The untouched form, with a small respondent list in each file field."""
    data: dict = baseline(form)
    for name, entry in form.fields.items():
        if entry.kind == "file":
            data[name] = SimpleUploadedFile("respondenten.csv", SAMPLE_CSV)
    return data


def mutations(entry: Field, default: list[str]):
    """(label, value) pairs for one field; None as value leaves the field out."""
    if entry.kind == "file":
        for label, (filename, content) in FILES.items():
            yield label, SimpleUploadedFile(filename, content)
        return
    for label, value in VALUES.items():
        if label in PER_FIELD or (label == "date" and entry.kind in DATE_KINDS):
            yield label, value
    yield "missing", None


def own_path(url: str, base: str) -> str | None:
    """The path of a link or action on this site that the fuzz may follow, else None."""
    target = urljoin(base, url)
    parts = urlsplit(target)
    if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(("/static/",)):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name.split(":")[0] in SKIPPED_PREFIXES:
        return None
    if match.route.startswith(ADMIN_PREFIX) and not is_admin(base):
        return None  # the CMS's forms are fuzzed from the CMS's own pages
    return parts.path


def is_admin(url: str) -> bool:
    return resolve(urlsplit(url).path).route.startswith(ADMIN_PREFIX)


class Undo(Exception):
    pass


def pg_rules(execute, sql, params, many, context):
    """Refuse NUL characters in any query, as PostgreSQL does."""
    rows = params if many else [params]
    for row in rows or ():
        values = row.values() if isinstance(row, dict) else (row or ())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return execute(sql, params, many, context)


def pg_lengths(sender, instance, **kwargs):
    """Refuse text longer than its column and integers outside its range, as PostgreSQL does."""
    for f in instance._meta.concrete_fields:
        value = getattr(instance, f.attname, None)
        if isinstance(f, models.CharField) and f.max_length and isinstance(value, str):
            if len(value) > f.max_length:
                raise DataError(f"value too long for {sender.__name__}.{f.name}")
        limits = INT_RANGES.get(f.get_internal_type())
        if limits and isinstance(value, int) and not limits[0] <= value <= limits[1]:
            raise DataError(f"integer out of range for {sender.__name__}.{f.name}")


def origin(exc: BaseException) -> str:
    """The last line of the project's own code the exception passed through."""
    frames = [
        f"{frame.filename.split('/work/')[-1]}:{frame.lineno}"
        for frame in traceback.extract_tb(exc.__traceback__)
        if "site-packages" not in frame.filename and "/tests/" not in frame.filename
    ]
    return frames[-1] if frames else "?"


class Fuzzer:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.requests = 0
        self.counts = counts()  # every request is undone, so this holds before each one

    def send(self, client, method: str, path: str, data: dict, what: str, keep_session=False):
        """One request in a savepoint that is rolled back; a 5xx or a refused request that
        wrote something is a failure. Returns the response (None for an exception)."""
        response = session = None
        cookies = copy.deepcopy(client.cookies)
        cache.clear()  # rate limits would otherwise answer in place of the view
        self.requests += 1
        try:
            with transaction.atomic():
                try:
                    response = getattr(client, method)(path, data)
                except Exception as exc:  # noqa: BLE001 - every server error is reported
                    self.failures.append(
                        f"{method.upper()} {path} {what}: {exc!r:.200} at {origin(exc)}"
                    )
                else:
                    status = response.status_code
                    if status >= 500:
                        self.failures.append(f"{method.upper()} {path} {what}: {status}")
                    elif status >= 400 and counts() != self.counts:
                        self.failures.append(f"{method.upper()} {path} {what}: {status} wrote")
                session = dict(client.session.items()) if keep_session else None
                raise Undo
        except Undo:
            pass
        client.cookies = cookies
        if session:  # what a confirmation form needs (an upload waiting in the session)
            saved = client.session
            saved.update(session)
            saved.save()
        return response

    def form(self, client, path: str, form: Form, *, per_field: bool) -> None:
        """Each field malformed in turn (for the CMS's long forms: file fields only), then
        every field at once, in case the first bad one hides the next."""
        method = "post" if form.method == "post" else "get"
        base = baseline(form)
        for name, entry in form.fields.items():
            if entry.kind == "button" and len(set(entry.choices)) < 2:
                continue
            if not per_field and entry.kind != "file":
                continue
            for label, value in mutations(entry, base.get(name, [])):
                data = dict(base)
                if value is None:
                    data.pop(name, None)
                else:
                    data[name] = value
                self.send(client, method, path, data, f"{name}={label}")
        if method == "post":
            for label, value in [*VALUES.items(), ("repeated", ["1", "abc"])]:
                data = {n: value for n, e in form.fields.items() if e.kind != "file"}
                self.send(client, method, path, data, f"every field={label}")


def routes():
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith(ADMIN_PREFIX) or name.split(":")[0] in SKIPPED_PREFIXES:
            continue
        yield route, name


def identities(name: str) -> list[str]:
    allowed = POLICY.get(name, set()) | POST_ALLOWED.get(name, set())
    return [i for i in PREFERRED if i in allowed][:1]


def extra_pages(data: dict) -> list[tuple[str, str]]:
    """Pages the matrix only reaches with made-up codes (the tenant pulse's links, a partner's
    scorecard, a moment's card), opened here with real ones, and the CMS's own pages for a
    consultant: (identity, url)."""
    from django.utils import timezone

    from core.models import Membership
    from pulse import services as pulse
    from pulse.links import link_token

    org = data["org_a"]
    moment = pulse.moments_install_defaults(organisation=org)[0]
    event = pulse.EventInput(
        source_id="WO-1",
        moment=moment.code,
        occurred_on=timezone.localdate().isoformat(),
        partner="Bouwbedrijf Jansen",
        area="Complex 12",
        email="huurder@example.nl",
        phone="",
    )
    invitation = pulse.events_ingest(organisation=org, items=[event]).events[0].invitation
    card = pulse.card_link_create(moment=moment)
    # A tenant who asked to be called back (the overview's "done" form).
    asked = pulse.events_ingest(
        organisation=org, items=[replace(event, source_id="WO-2", email="terug@example.nl")]
    ).events[0]
    pulse.response_submit(
        token=link_token(asked.invitation.link_nonce),
        grade=4,
        drivers={},
        effort=None,
        open_answer="",
        call_back=True,
    )
    partner = org.contract_partners.get()
    # A closed round (its review), a draft one (it may be deleted), someone still invited.
    closed = factories.scan_round(
        org, status=RoundStatus.CLOSED, version=data["round_a"].model_version, title="Dicht"
    )
    draft = factories.scan_round(
        org, status=RoundStatus.DRAFT, version=data["round_a"].model_version, title="Concept"
    )
    invited = factories.member(org, "workgroup", email="uitgenodigd@example.org")
    invited.set_unusable_password()
    invited.save()
    pages = [
        ("consultant_a", reverse("review:round", kwargs={"org": org.slug, "pk": closed.pk})),
        ("consultant_a", reverse("scan:round", kwargs={"org": org.slug, "pk": draft.pk})),
        ("anonymous", reverse("pulse_public:survey", args=[link_token(invitation.link_nonce)])),
        ("anonymous", reverse("pulse_public:card_survey", args=[link_token(card.link_nonce)])),
        (
            "consultant_a",
            reverse("pulse:scorecard", kwargs={"org": org.slug, "code": partner.code}),
        ),
        ("coordinator_a", reverse("pulse:card", kwargs={"org": org.slug, "moment": moment.code})),
    ]
    membership = Membership.objects.filter(organisation=org).first()
    for name, kwargs in (
        ("wagtailsnippets_core_organisation:list", {}),
        ("wagtailsnippets_core_organisation:edit", {"pk": org.pk}),
        ("wagtailsnippets_core_membership:list", {}),
        ("wagtailsnippets_core_membership:add", {}),
        ("wagtailsnippets_core_membership:edit", {"pk": membership.pk}),
        ("wagtailsnippets_scan_mailtemplate:list", {}),
        ("wagtailsnippets_scan_mailtemplate:add", {}),
        ("klantraat_model_import", {}),
    ):
        pages.append(("consultant_a", reverse(name, kwargs=kwargs)))
    return pages


def test_no_malformed_value_gives_a_server_error(world):  # noqa: F811 - the fixture
    started, cpu = time.monotonic(), time.process_time()
    pages = extra_pages(world)
    fuzz = Fuzzer()
    clients = {i: client_for(i, world) for i in PREFERRED}
    forms: dict[tuple, tuple] = {}
    queries: dict[tuple, tuple] = {}
    with connection.execute_wrapper(pg_rules):
        pre_save.connect(pg_lengths)
        try:
            for route, name in routes():
                values = dict(world["values"])
                if name.split(":")[-1] in ("open_link", "open_link_qr"):
                    values["token"] = world["open_token"]
                for identity in identities(name):
                    if identity in POLICY.get(name, set()):
                        pages.append((identity, concrete(route, values)))
                who = (identities(name) or ["anonymous"])[0]  # a link's code needs no login
                fuzz_path(fuzz, clients[who], route, name, values)
            for identity, url in pages:
                response = clients[identity].get(url)
                fuzz.requests += 1
                if response.status_code >= 500:
                    fuzz.failures.append(f"GET {url}: {response.status_code}")
                if is_page(response):
                    discover(response, url, identity, forms, queries)
            queue = list(forms.items())
            while queue:
                (method, _view, _names), (identity, form, path) = queue.pop(0)
                if method == "post":  # sent untouched, it may answer with a confirmation form
                    response = fuzz.send(
                        clients[identity], method, path, as_is(form), "as is", keep_session=True
                    )
                    if response is not None and is_page(response):
                        found: dict[tuple, tuple] = {}
                        discover(response, path, identity, found, queries)
                        queue += [(key, new) for key, new in found.items() if key not in forms]
                        forms.update(found)
                fuzz.form(clients[identity], path, form, per_field=not is_admin(path))
            for (_view, param), (identity, base, path) in queries.items():
                for label, value in [*VALUES.items(), ("repeated", [base.get(param, "1"), "x"])]:
                    fuzz.send(
                        clients[identity], "get", path, {**base, param: value}, f"?{param}={label}"
                    )
        finally:
            pre_save.disconnect(pg_lengths)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    assert len(forms) >= 50 and len(queries) >= 15, (len(forms), len(queries))
    assert fuzz.failures == [], f"{len(fuzz.failures)} of {fuzz.requests} requests:\n" + "\n".join(
        fuzz.failures
    )
    print(  # noqa: T201 - the run's size, shown with -s
        f"{fuzz.requests} requests, {len(forms)} forms, {len(queries)} parameters, {elapsed:.1f} s ({cpu:.1f} s CPU)"
    )


def is_page(response) -> bool:
    return response.status_code == 200 and "html" in response.get("Content-Type", "")


def discover(response, url: str, identity: str, forms: dict, queries: dict) -> None:
    parser = PageParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        path = own_path(form.action or url, url)
        if path is None:
            continue
        # One of each: the same form of another member or round adds nothing but time.
        view = resolve(path).view_name
        forms.setdefault((form.method, view, frozenset(form.fields)), (identity, form, path))
        if form.method != "post":
            base = {n: v[0] for n, v in baseline(form).items()}
            for param in form.fields:
                queries.setdefault((view, param), (identity, base, path))
    for href in parser.links:
        path = own_path(href, url)
        if path is None:
            continue
        base = dict(parse_qsl(urlsplit(href).query, keep_blank_values=True))
        for param in base:
            queries.setdefault((resolve(path).view_name, param), (identity, base, path))


def fuzz_path(fuzz: Fuzzer, client, route: str, name: str, values: dict) -> None:
    """Unknown, huge and over-long values for each path parameter of the route."""
    import re

    for kind, param in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        if param == "org" and route.count("<") > 1:
            continue  # the organisation is checked once for the whole subtree
        for value in PATH_VALUES["int" if kind == "int" else "str"]:
            url = concrete(route, {**values, param: value})
            fuzz.send(client, "get", url, {}, f"<{param}>={value[:12]}")
            if name in POST_ALLOWED:
                fuzz.send(client, "post", url, {}, f"<{param}>={value[:12]}")
