"""axe-core (from the npm registry) on the pages people use: WCAG 2.2 AA, desktop and phone."""

import json
import re
from pathlib import Path

import pytest

from actions import services as cycle
from scan import services
from scan.permissions import access_for
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
    scan_round.status = "closed"
    scan_round.save()
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
        f"/org/alfa/rounds/{pk}/review/",
        "/org/alfa/audit/",
    ):
        check(page, base + path, problems)
    assert problems == [], "\n".join(problems)
