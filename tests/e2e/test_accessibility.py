"""axe-core (from the npm registry) on the pages people use: WCAG 2.2 AA, desktop and phone."""

import json
import re
from pathlib import Path

import pytest

from actions import services as cycle
from core.permissions import access_for
from scan import services
from scan.models import ScanRound
from scan.services import AnswerInput
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 375)


def violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` (make test does).")
    # Evaluated through the browser's debugging protocol: the page's Content Security Policy
    # (no inline or foreign scripts) stays on while axe-core checks it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "help": v["help"],
        }
        for v in result["violations"]
    ]


def check(page, url, problems):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = violations(page)
    if found:
        problems.append(
            f"{page.viewport_size['width']}px {url}: {json.dumps(found, ensure_ascii=False)}"
        )


@pytest.fixture
def setting(org_a, version, people):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting")
    for _ in range(5):
        r = factories.respondent(scan_round, kind="staff")
        services.answers_save(
            respondent=r,
            answers=[
                AnswerInput(c, 3, "Prima") for c in ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]
            ],
        )
        services.respondent_submit(r)
    respondent = factories.respondent(scan_round, kind="tenants")
    token = services.respondent_issue_link(respondent)
    factories.release(scan_round)
    open_round = factories.scan_round(org_a, version=version, title="Herhaling")
    fresh = services.respondent_issue_link(factories.respondent(open_round, kind="tenants"))
    action = cycle.action_create(
        access=access_for(people["workgroup_a"], org_a),
        title="Monteurs bellen vooraf",
        cells=["KP1"],
    )
    return {"round": scan_round, "token": fresh, "action": action, "closed_token": token}


@pytest.mark.parametrize("width", WIDTHS)
def test_respondent_pages_have_no_violations(live_server, new_page, setting, width):
    page = new_page(width=width, height=900)
    base, token, problems = live_server.url, setting["token"], []
    for step in ("intro", "KV1", "KP1", "closing"):
        check(page, f"{base}/r/{token}/{step}/", problems)
    # An error state too: submitting a step without answers.
    page.goto(f"{base}/r/{token}/KP1/")
    page.get_by_role("button", name=re.compile("Opslaan en verder|Save and continue")).click()
    page.wait_for_selector("#error-summary")
    found = violations(page)
    if found:
        problems.append(f"{width}px error state: {found}")
    check(page, f"{base}/r/{'x' * 43}/", problems)
    # The retry pages shown when the database drops out (tests/scan/test_database_faults.py
    # provokes them for real), served at the step's address so the site's CSS loads.
    for method in ("get", "post"):
        html = retry_page(method, f"/r/{token}/KP1/")
        url = f"{base}/r/{token}/KP1/?retry-{method}"
        page.route(url, serve(html))
        check(page, url, problems)
    assert problems == [], "\n".join(problems)


def serve(html: str):
    return lambda route: route.fulfill(body=html, content_type="text/html")


def retry_page(method: str, path: str) -> str:
    from django.test import RequestFactory

    from scan.wizard import database_unavailable_response

    factory = RequestFactory()
    data = {"respondent_wizard-current_step": "KP1", "KP1-level__KP1_1": "3"}
    request = factory.post(path, data) if method == "post" else factory.get(path)
    response = database_unavailable_response(request)
    assert response.status_code == 503
    return response.content.decode()


@pytest.mark.parametrize("width", WIDTHS)
def test_results_action_and_review_pages_have_no_violations(
    live_server, new_page, setting, people, width
):
    page = new_page(width=width, height=900)
    login(page, live_server, people["consultant_a"].email, factories.PASSWORD)
    base, pk, problems = live_server.url, setting["round"].pk, []
    for path in (
        "/",
        "/start/",
        "/organisations/new/",
        f"/org/alfa/rounds/{pk}/",
        f"/org/alfa/rounds/{pk}/edit/",
        f"/org/alfa/rounds/{pk}/results/",
        f"/org/alfa/rounds/{pk}/results/cells/KP1/",
        f"/org/alfa/rounds/{pk}/results/compare/",
        f"/org/alfa/rounds/{pk}/results/trend/",
        f"/org/alfa/rounds/{pk}/workshop/",
        "/org/alfa/cycle/actions/",
        "/org/alfa/cycle/actions/?view=board",
        f"/org/alfa/cycle/actions/{setting['action'].pk}/",
        "/org/alfa/cycle/actions/new/",
        "/org/alfa/cycle/ambition/",
        "/org/alfa/cycle/dashboard/",
        "/org/alfa/cycle/working-group/",
        "/my-actions/",
        f"/org/alfa/rounds/{pk}/review/",
        "/org/alfa/audit/",
    ):
        check(page, base + path, problems)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def handled(org_a, setting, people):
    """An open and a closed call-back on the pulse page, and a review signed, withdrawn and
    signed again, so the call-back list and the sign-off history are on the pages."""
    import datetime as dt

    from django.utils import timezone

    from actions.models import WithdrawnSignOff
    from pulse import aggregates
    from pulse import services as pulse
    from pulse.models import CallBack

    moments = pulse.moments_install_defaults(organisation=org_a)
    jansen = pulse.partner_create(organisation=org_a, name="Bouwbedrijf Jansen")
    for n, grade in enumerate((3, 4)):
        response = aggregates.response_add(
            organisation=org_a,
            moment=moments[0],
            questionnaire=moments[0].questionnaires.first(),
            partner=jansen,
            month=timezone.localdate().replace(day=1),
            grade=grade,
            open_answer="De monteur kwam niet opdagen.",
        )
        call_back = CallBack.objects.create(
            organisation=org_a,
            response=response,
            partner=jansen,
            phone="0612345678",
            email=f"huurder{n}@example.nl",
            deadline=timezone.localdate() - dt.timedelta(days=2 - n),
        )
    pulse.call_back_done(
        call_back=call_back,
        note="Gebeld, nieuwe afspraak gemaakt.",
        access=access_for(people["coordinator_a"], org_a),
    )
    scan_round = setting["round"]
    for summary in ("Eerste versie", "Tweede versie"):
        review = cycle.review_for(scan_round)
        review = cycle.review_save_summary(
            scan_round=scan_round,
            access=access_for(people["consultant_a"], org_a),
            summary=summary,
            revision=review.revision,
            final=True,
        )
        cycle.review_sign_off(
            scan_round=scan_round,
            access=access_for(people["director_a"], org_a),
            comment="Akkoord",
            revision=review.revision,
        )
        if summary == "Eerste versie":
            cycle.review_withdraw(
                scan_round=scan_round,
                access=access_for(people["director_a"], org_a),
                reason="De cijfers van één team ontbraken.",
            )
    return {"version": WithdrawnSignOff.objects.get().pk, "round": scan_round}


@pytest.mark.parametrize("width", WIDTHS)
def test_call_backs_and_sign_off_history_have_no_violations(
    live_server, new_page, handled, people, width
):
    page = new_page(width=width, height=900)
    login(page, live_server, people["coordinator_a"].email, factories.PASSWORD)
    pk, problems = handled["round"].pk, []
    for path in (
        "/org/alfa/pulse/",
        f"/org/alfa/rounds/{pk}/review/",
        f"/org/alfa/rounds/{pk}/review/signed/{handled['version']}/",
    ):
        check(page, live_server.url + path, problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_pulse_survey_thanks_and_welcome_back_have_no_violations(
    live_server, new_page, setting, org_a, width
):
    from pulse import services as pulse_services
    from pulse.links import link_token

    from ..pulse.conftest import event

    pulse_services.moments_install_defaults(organisation=org_a)
    pulse_event = pulse_services.events_ingest(organisation=org_a, items=[event(1)]).events[0]
    page = new_page(width=width, height=900)
    base, problems = live_server.url, []
    survey = f"{base}/p/{link_token(pulse_event.invitation.link_nonce)}/"
    check(page, survey, problems)
    page.check("input[name=grade][value='6']")
    page.check("input[name=call_back]")
    page.click(".wizard-buttons button[type=submit]")
    page.wait_for_selector(".message-info")  # the call-back confirmation
    found = violations(page)
    if found:
        problems.append(f"{width}px pulse thanks: {found}")
    # Reopening a started scan lands on the next topic with "welcome back".
    respondent = factories.respondent(ScanRound.objects.get(title="Herhaling"))
    services.respondent_start(respondent, language="nl")
    token = services.respondent_issue_link(respondent)
    page.goto(f"{base}/r/{token}/")
    page.wait_for_selector(".messages")
    found = violations(page)
    if found:
        problems.append(f"{width}px welcome back: {found}")
    assert problems == [], "\n".join(problems)
