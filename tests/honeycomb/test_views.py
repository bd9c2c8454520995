"""Results and workshop pages: every role of the organisation, nobody else; the threshold holds."""

import pytest
from django.urls import reverse
from django.utils import timezone

from scan import services
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "workgroup", "director", "consultant"]
ALL_STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def answered(scan_round, kind, n, level=3):
    for _ in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        codes = [c for c in ALL_STATEMENTS if not (kind == "tenants" and c == "KV1.2")]
        services.answers_save(respondent=respondent, answers=[AnswerInput(c, level) for c in codes])
        services.respondent_submit(respondent)


@pytest.mark.parametrize("role", ROLES)
def test_results_for_every_role_of_own_organisation_only(client, people, round_a, role):
    url = reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk})
    client.force_login(people[f"{role}_a"])
    assert client.get(url).status_code == 200
    client.force_login(people[f"{role}_b"])
    assert client.get(url).status_code == 404


def test_results_suppress_groups_below_threshold_everywhere(client, people, round_a):
    answered(round_a, "staff", 5, level=4)
    answered(round_a, "tenants", 4, level=1)  # below the threshold of 5
    factories.release(round_a)
    client.force_login(people["director_a"])
    staff = client.get(
        reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk}) + "?group=staff"
    )
    assert [c.score for c in staff.context["cells"]] == [4.0, 4.0, 4.0]
    tenants = client.get(
        reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk}) + "?group=tenants"
    )
    cells = tenants.context["cells"]
    assert all(c.suppressed and c.score is None and c.n == 0 for c in cells)
    html = tenants.content.decode()
    assert "n = 4" not in html and '"1.0"' not in html
    detail = client.get(
        reverse("honeycomb:cell", kwargs={"org": "alfa", "pk": round_a.pk, "cell": "KP1"})
    )
    rows = {r["kind"]: r for r in detail.context["rows"]}
    assert rows["tenants"]["suppressed"] and not rows["staff"]["suppressed"]


def test_unknown_group_or_cell_is_404(client, people, round_a):
    factories.release(round_a)
    client.force_login(people["director_a"])
    assert (
        client.get(
            reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk}) + "?group=aliens"
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("honeycomb:cell", kwargs={"org": "alfa", "pk": round_a.pk, "cell": "ZZ9"})
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role,status",
    [("consultant", 200), ("coordinator", 403), ("director", 403), ("workgroup", 403)],
)
def test_workshop_is_for_consultants(client, people, round_a, role, status):
    client.force_login(people[f"{role}_a"])
    assert (
        client.get(
            reverse("honeycomb:workshop", kwargs={"org": "alfa", "pk": round_a.pk})
        ).status_code
        == status
    )


def test_workshop_records_consensus_and_refuses_bad_levels(client, people, round_a):
    answered(round_a, "staff", 5)
    answered(round_a, "tenants", 2)
    factories.release(round_a)
    client.force_login(people["consultant_a"])
    url = reverse("honeycomb:workshop", kwargs={"org": "alfa", "pk": round_a.pk})
    page = client.get(url)
    kp1 = next(c for c in page.context["cells"] if c["code"] == "KP1")
    rows = {r["kind"]: r for r in kp1["rows"]}
    assert rows["staff"]["distribution"] == [0, 0, 10, 0, 0]
    assert rows["tenants"]["suppressed"] and rows["tenants"]["distribution"] is None
    client.post(url, {"cell": "KP1", "level": "2", "reason": "Afspraken worden niet nagekomen"})
    assert round_a.consensus.get(cell_code="KP1").level == 2
    client.post(url, {"cell": "KP1", "level": "9", "reason": "x"})
    client.post(url, {"cell": "XX", "level": "3", "reason": "x"})
    assert round_a.consensus.get(cell_code="KP1").level == 2
    assert round_a.consensus.count() == 1


def test_workshop_has_no_default_level_and_shows_errors_at_the_cell(client, people, round_a):
    factories.release(round_a)  # a workshop discusses the published figures
    client.force_login(people["consultant_a"])
    url = reverse("honeycomb:workshop", kwargs={"org": "alfa", "pk": round_a.pk})
    html = client.get(url).content.decode()
    assert '<select id="level-KP1" name="level" required' in html
    assert " selected>" not in html.split('id="level-KP1"')[1].split("</select>")[0]
    page = client.post(url, {"cell": "KP1", "level": "", "reason": "Nog geen keuze"})
    assert page.status_code == 400
    html = page.content.decode()
    cell = html.split('id="cell-KP1"')[1].split("</section>")[0]
    assert 'id="level-KP1-error"' in cell and 'aria-describedby="level-KP1-error"' in cell
    assert "Nog geen keuze" in cell
    assert "error-summary" not in html
    assert not round_a.consensus.exists()


def test_workshop_is_read_only_after_sign_off(client, people, round_a):
    from scan.services import ROUND_LOCKED, ScanError, consensus_record

    factories.release(round_a)
    round_a.signed_at = timezone.now()
    round_a.save(update_fields=["signed_at"])
    client.force_login(people["consultant_a"])
    url = reverse("honeycomb:workshop", kwargs={"org": "alfa", "pk": round_a.pk})
    html = client.get(url).content.decode()
    assert 'id="workshop-locked"' in html and 'name="level"' not in html
    client.post(url, {"cell": "KP1", "level": "2", "reason": "Te laat"})
    assert not round_a.consensus.exists()
    with pytest.raises(ScanError) as exc:
        consensus_record(
            scan_round=round_a, cell_code="KP1", level=2, reason="x", user=people["consultant_a"]
        )
    assert str(ROUND_LOCKED) in str(exc.value)


def test_department_filter_below_threshold_is_refused(client, people, round_a):
    for _i in range(5):
        r = factories.respondent(round_a, kind="staff", department="Wonen")
        services.answers_save(respondent=r, answers=[AnswerInput(c, 3) for c in ALL_STATEMENTS])
        services.respondent_submit(r)
    for _i in range(4):
        r = factories.respondent(round_a, kind="staff")
        services.answers_save(respondent=r, answers=[AnswerInput(c, 4) for c in ALL_STATEMENTS])
        services.respondent_submit(r)
    r = factories.respondent(round_a, kind="staff", department="Vastgoed")
    services.answers_save(respondent=r, answers=[AnswerInput(c, 5) for c in ALL_STATEMENTS])
    services.respondent_submit(r)
    factories.release(round_a)
    client.force_login(people["director_a"])
    url = reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk})
    ok = client.get(url + "?department=Wonen")
    assert ok.status_code == 200 and [c.score for c in ok.context["cells"]] == [3.0, 3.0, 3.0]
    # Each department once, never a count, and a department too small to show is not offered:
    # asking for it is answered as for a department that does not exist.
    assert ok.context["departments"] == ["Wonen"]
    assert client.get(url + "?department=Vastgoed").status_code == 404
    assert client.get(url + "?department=Nergens").status_code == 404


def test_department_that_reveals_another_by_subtraction_is_hidden(client, people, round_a):
    # Staff (6) minus Wonen (5) would be the one Vastgoed respondent: Wonen is hidden too.
    for _i in range(5):
        r = factories.respondent(round_a, kind="staff", department="Wonen")
        services.answers_save(respondent=r, answers=[AnswerInput(c, 3) for c in ALL_STATEMENTS])
        services.respondent_submit(r)
    r = factories.respondent(round_a, kind="staff", department="Vastgoed")
    services.answers_save(respondent=r, answers=[AnswerInput(c, 5) for c in ALL_STATEMENTS])
    services.respondent_submit(r)
    factories.release(round_a)
    client.force_login(people["director_a"])
    url = reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk})
    page = client.get(url)
    assert page.context["departments"] == []
    assert [c.score for c in page.context["cells"]] == pytest.approx([(5 * 3 + 5) / 6] * 3)
    assert client.get(url + "?department=Wonen").status_code == 404


def test_comments_only_from_groups_above_threshold(client, people, round_a):
    for i in range(5):
        r = factories.respondent(round_a, kind="staff")
        services.answers_save(
            respondent=r,
            answers=[AnswerInput(c, 3, f"staff zegt {i}") for c in ALL_STATEMENTS],
            cell_code="KP1",
            step_comment=f"stap {i}",
        )
        services.respondent_submit(r)
    t = factories.respondent(round_a, kind="tenants")
    services.answers_save(
        respondent=t,
        answers=[AnswerInput(c, 1, "huurder geheim") for c in ALL_STATEMENTS if c != "KV1.2"],
    )
    services.respondent_submit(t)
    factories.release(round_a)
    client.force_login(people["workgroup_a"])
    page = client.get(
        reverse("honeycomb:cell", kwargs={"org": "alfa", "pk": round_a.pk, "cell": "KP1"})
    )
    html = page.content.decode()
    assert "staff zegt 0" in html and "stap 3" in html
    assert "huurder geheim" not in html
    assert "How was this computed?" in html or "Hoe is dit berekend?" in html


def test_compare_and_trend_pages(client, people, org_a, version):
    first = factories.scan_round(org_a, version=version, title="Eerste", period="2025")
    answered(first, "staff", 5, level=2)
    answered(first, "managers", 5, level=4)
    factories.release(first)
    second = factories.scan_round(
        org_a, version=version, title="Tweede", period="2026", previous_round=first
    )
    answered(second, "staff", 5, level=3)
    factories.release(second)
    client.force_login(people["director_a"])
    compare = client.get(
        reverse("honeycomb:compare", kwargs={"org": "alfa", "pk": first.pk}) + "?a=managers&b=staff"
    )
    assert compare.status_code == 200 and [row["gap"] for row in compare.context["pair"]] == [
        2.0,
        2.0,
        2.0,
    ]
    matrix = compare.context["matrix"]
    assert matrix["groups"][2:] == ["Leidinggevenden", "Medewerkers"]  # every group, not two
    assert [s["text"] for s in matrix["rows"][0]["scores"][2:]] == ["4,0", "2,0"]
    assert 'class="scale-40"' in compare.content.decode()  # 4,0 in the honeycomb's scale
    trend = client.get(
        reverse("honeycomb:trend", kwargs={"org": "alfa", "pk": second.pk}) + "?group=staff"
    )
    assert [r.title for r in trend.context["rounds"]] == ["Eerste", "Tweede"]
    assert trend.context["rows"][0]["values"] == [2.0, 3.0]
    results = client.get(
        reverse("honeycomb:results", kwargs={"org": "alfa", "pk": second.pk}) + "?group=staff"
    )
    assert [c.change for c in results.context["cells"]] == [1.0, 1.0, 1.0]


def test_excel_export_respects_threshold(client, people, round_a):
    import io

    import openpyxl

    answered(round_a, "staff", 5, level=4)
    answered(round_a, "tenants", 3, level=1)
    factories.release(round_a)
    client.force_login(people["director_a"])
    response = client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": round_a.pk}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    about = dict(book.worksheets[0].iter_rows(values_only=True))  # what the file is
    assert about["Ronde"] == round_a.title and about["Minimale groepsgrootte"] == 5
    sheet = book.worksheets[1]
    assert sheet.auto_filter.ref  # a table an analyst can filter
    rows = list(sheet.iter_rows(values_only=True))
    scores = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    tenants = [row for row in scores if row["Groep"] == "Huurders"]
    # A hidden score is an empty cell, not text in a numeric column.
    assert tenants and all(
        row["Getoond"] is False and row["Score"] is None and row["Respondenten"] is None
        for row in tenants
    )
    assert any(row["Groep"] == "Medewerkers" and row["Score"] == 4 for row in scores)
    assert all(row["Domein"] and row["Domeincode"] for row in scores)  # names beside codes
    distribution = list(book.worksheets[3].iter_rows(values_only=True))
    assert not any(row[2] == "Huurders" for row in distribution)
    client.force_login(people["director_b"])
    assert (
        client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": round_a.pk})).status_code
        == 404
    )


def test_board_report_is_made_by_a_task_and_downloadable_by_members_only(
    client, people, round_a, django_capture_on_commit_callbacks
):
    answered(round_a, "staff", 5, level=4)
    client.force_login(people["director_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("honeycomb:report", kwargs={"org": "alfa", "pk": round_a.pk})
        )
    status_url = response.url
    status = client.get(status_url + "?format=json").json()
    assert status == {"status": "ready", "progress": 100}
    download = client.get(status_url + "download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # sent from the storage
    client.force_login(people["director_b"])
    assert client.get(status_url + "download/").status_code == 404


def test_compare_hides_a_small_group_and_its_differences_agree_with_the_shown_scores(
    client, people, org_a, version
):
    scan_round = factories.scan_round(org_a, version=version)
    answered(scan_round, "staff", 5, level=3)
    answered(scan_round, "tenants", 2, level=5)  # too few
    factories.release(scan_round)
    client.force_login(people["director_a"])
    page = client.get(
        reverse("honeycomb:compare", kwargs={"org": "alfa", "pk": scan_round.pk})
        + "?a=staff&b=tenants"
    )
    column = page.context["matrix"]["groups"].index("Huurders")
    assert {row["scores"][column]["text"] for row in page.context["matrix"]["rows"]} == {"–"}
    assert all(row["gap"] is None for row in page.context["pair"])
