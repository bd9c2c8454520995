"""No English and no formal "u" on the Dutch pages a consultant, coordinator, director and
working-group member open: every text the catalogue translates must appear translated."""

import html
import re

import polib
import pytest
from django.conf import settings

from actions import services as cycle
from core.permissions import access_for
from scan import services
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("consultant", "coordinator", "director", "workgroup")
FORMAL = re.compile(r"\b(U|u|Uw|uw)\b")


def english_phrases() -> list[re.Pattern]:
    """Every English text the Dutch catalogue translates differently, as whole words: a
    phrase of two words or more, or a single word of five letters or more (shorter ones are
    too often also Dutch, a name or a code)."""
    path = settings.BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    phrases = set()
    for entry in polib.pofile(str(path)):
        text = entry.msgid
        if entry.msgstr == text or "%" in text or "{" in text or "<" in text:
            continue
        if len(text.split()) >= 2 or (len(text) >= 5 and text.isalpha()):
            phrases.add(text)
    return [re.compile(r"(?<![\w-])" + re.escape(p) + r"(?![\w-])") for p in sorted(phrases)]


def visible_text(content: str) -> str:
    """The page's main content as a reader sees it (no markup, scripts or styles)."""
    main = content.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style|template)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"<[^>]+>", " ", main)
    return " ".join(html.unescape(main).split())


@pytest.fixture
def world(org_a, version, people):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting")
    for _ in range(5):
        r = factories.respondent(scan_round, kind="staff")
        services.answers_save(
            respondent=r,
            answers=[AnswerInput(c, 3) for c in ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]],
        )
        services.respondent_submit(r)
    factories.release(scan_round)
    group = cycle.working_group_set(
        organisation=org_a,
        name="Werkgroep huurders",
        chair=people["coordinator_a"],
        members=[people["workgroup_a"]],
        user=None,
    )
    action = cycle.action_create(
        access=access_for(people["consultant_a"], org_a),
        title="Monteurs bellen vooraf",
        cells=["KP1"],
        working_group=group,
    )
    return {"round": scan_round, "action": action, "group": group}


def pages(world) -> list[str]:
    pk, action = world["round"].pk, world["action"].pk
    return [
        "/start/",
        "/my-actions/",
        "/organisations/new/",
        "/org/alfa/",
        "/org/alfa/audit/",
        "/org/alfa/rounds/new/",
        f"/org/alfa/rounds/{pk}/",
        f"/org/alfa/rounds/{pk}/edit/",
        f"/org/alfa/rounds/{pk}/results/",
        f"/org/alfa/rounds/{pk}/review/",
        "/org/alfa/cycle/actions/",
        "/org/alfa/cycle/actions/?view=board",
        f"/org/alfa/cycle/actions/{action}/",
        "/org/alfa/cycle/actions/new/",
        "/org/alfa/cycle/ambition/",
        "/org/alfa/cycle/dashboard/",
        "/org/alfa/cycle/schedule/",
        "/org/alfa/cycle/working-group/",
        f"/org/alfa/cycle/working-group/{world['group'].pk}/",
        "/org/alfa/pulse/",
        "/account/api-tokens/",
        "/portfolio/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_dutch_pages_have_no_english_and_no_formal_address(client, people, world, role):
    client.force_login(people[f"{role}_a"])
    english = english_phrases()
    problems = []
    for path in pages(world):
        response = client.get(path)
        if response.status_code != 200:
            continue  # not this role's page
        text = visible_text(response.content.decode())
        found = sorted({m.group(0) for p in english for m in p.finditer(text)})
        if found:
            problems.append(f"{path}: English {found}")
        formal = sorted({m.group(0) for m in FORMAL.finditer(text)})
        if formal:
            problems.append(f"{path}: formal {formal}")
    assert problems == [], "\n".join(problems)
