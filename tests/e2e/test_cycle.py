"""A working-group member adds an action to a cell, reports progress with evidence and marks it
done; a director reviews the round and signs it off."""

import io
import re

import pytest
from openpyxl import load_workbook

from actions.models import ImprovementAction, Review
from scan import services
from scan.services import AnswerInput
from tests import factories

from .conftest import login


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def deck_text(path) -> str:
    from pptx import Presentation

    return " ".join(
        shape.text_frame.text
        for slide in Presentation(path).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def closed(org_a, version):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting")
    for _ in range(5):
        r = factories.respondent(scan_round, kind="staff")
        services.answers_save(
            respondent=r,
            answers=[AnswerInput(c, 3) for c in ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]],
        )
        services.respondent_submit(r)
    factories.release(scan_round)
    return scan_round


def test_working_group_member_runs_an_action_to_done(
    live_server, new_page, org_a, closed, tmp_path
):
    member = factories.member(org_a, "workgroup", email="werkgroep@alfa.nl", first_name="Yusuf")
    page = new_page(width=375, height=800)
    login(page, live_server, member.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/results/cells/KP1/")
    page.goto(f"{live_server.url}/org/alfa/cycle/actions/new/?cell=KP1")
    page.fill("#id_title", "Monteurs bellen vooraf")
    page.fill("#id_description", "Elke monteur belt een half uur van tevoren.")
    assert page.locator("input[name=cells][value=KP1]").is_checked()
    page.get_by_role("button", name=re.compile("Actie toevoegen|Add action")).click()
    page.wait_for_url(re.compile(r".*/actions/\d+/$"))
    action = ImprovementAction.objects.get(title="Monteurs bellen vooraf")
    assert (
        list(action.cells.values_list("cell_code", flat=True)) == ["KP1"] and action.owner == member
    )

    evidence = tmp_path / "belscript.pdf"
    evidence.write_bytes(b"%PDF-1.4 belscript")
    page.fill("#id_note", "Belscript gemaakt en getest met twee monteurs.")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_role("button", name=re.compile("Voortgang opslaan|Save progress")).click()
    page.wait_for_selector("text=belscript.pdf")

    page.select_option("#id_status", "done")
    page.get_by_role("button", name=re.compile("Actie opslaan|Save action")).click()
    page.wait_for_selector(".message-success")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    assert action.updates.get().evidence.get().original_name == "belscript.pdf"
    assert action.events.filter(kind="changed").exists()


def test_director_signs_off_and_the_round_stays_frozen(live_server, new_page, org_a, closed):
    """A director signs off; the consultant cannot reopen; later answers do not move the
    signed figures; withdrawing needs a reason and appears in the audit log."""
    from tests.honeycomb.test_results import forced_answers

    consultant = factories.member(org_a, "consultant", email="adviseur@alfa.nl")
    director = factories.member(org_a, "director", email="bestuurder@alfa.nl")
    page = new_page()
    page.set_default_timeout(60_000)  # the review page draws the honeycomb
    login(page, live_server, consultant.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/review/")
    page.fill("#id_summary", "Reparaties zijn het zwakste punt; de werkgroep pakt dit op.")
    page.check("#id_final")
    page.get_by_role("button", name=re.compile("Samenvatting opslaan|Save summary")).click()
    page.wait_for_selector(".message-success")

    board = new_page()
    board.set_default_timeout(60_000)
    login(board, live_server, director.email, factories.PASSWORD)
    board.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/")
    board.get_by_role("link", name=re.compile("^(Beoordeling|Review)$")).click()
    board.wait_for_selector("#honeycomb-chart .main-svg")
    assert "Reparaties zijn het zwakste punt" in board.content()
    board.fill("#id_comment", "Akkoord, volgende evaluatie over een half jaar.")
    board.get_by_role("button", name=re.compile("^(Aftekenen|Sign off)$")).click()
    board.wait_for_selector("#signed-off")
    review = Review.objects.get(round=closed)
    assert review.signed_off_by == director and review.frozen["summary"].startswith("Reparaties")

    # The consultant finds no way to reopen the round, and a forged request is refused.
    page.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/")
    page.wait_for_selector("#round-signed")
    assert page.get_by_role("button", name=re.compile("Heropen|Reopen")).count() == 0
    closed.refresh_from_db()
    assert closed.status == "closed" and closed.signed_at is not None

    # More answers arrive elsewhere: the results page still shows the signed figures.
    forced_answers(closed, "staff", 6, 5)
    board.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/results/")
    table = board.locator("table.results-table tbody").inner_text()
    assert ("3,0" in table or "3.0" in table) and "4,1" not in table and "4.1" not in table
    # The Excel export and the board pack (PDF and PowerPoint) say the same.
    excel = board.request.get(f"{live_server.url}/org/alfa/rounds/{closed.pk}/results/export.xlsx")
    sheet = load_workbook(io.BytesIO(excel.body())).worksheets[1]  # after "about this file"
    overall = [row for row in sheet.iter_rows(values_only=True) if row and row[2] == "KP1"]
    assert overall and all(4.1 not in row for row in overall)
    for button, reader in (("PDF", pdf_text), ("PowerPoint", deck_text)):
        board.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/results/")
        board.get_by_role("button", name=re.compile(button)).click()
        with board.expect_download() as download:
            board.locator("#report-download").click()
        text = reader(download.value.path())
        assert "3,0" in text and "4,1" not in text and "Afgetekend door" in text

    # Withdrawing needs a reason (spaces are not one), then appears in the audit log.
    board.goto(f"{live_server.url}/org/alfa/rounds/{closed.pk}/review/")
    board.fill("#id_reason", "   ")
    board.get_by_role("button", name=re.compile("Aftekenen intrekken|Withdraw sign-off")).click()
    board.wait_for_selector(".message-error")
    assert Review.objects.get(round=closed).is_signed_off
    board.fill("#id_reason", "Een groep is verkeerd ingedeeld.")
    board.get_by_role("button", name=re.compile("Aftekenen intrekken|Withdraw sign-off")).click()
    board.wait_for_selector(".message-success")
    assert not Review.objects.get(round=closed).is_signed_off
    board.goto(f"{live_server.url}/org/alfa/audit/")
    assert "Een groep is verkeerd ingedeeld." in board.content() or "sign_off_withdrawn" in (
        board.content()
    )
