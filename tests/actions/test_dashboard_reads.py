"""The dashboard of an organisation with a history: several released rounds (one signed), an
ambition, actions on cells, external measures and the tenant pulse. It reads each kind of
thing once, whatever the number of rounds, actions or measures, and shows the releases'
figures; a page drawn from the shared cache is the page drawn afresh, byte for byte."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actions import services
from core.permissions import access_for
from honeycomb.chart_formats import fmt_score
from honeycomb.models import Release, ReleaseKind
from honeycomb.release_services import release_make
from honeycomb.results import RoundResults
from pulse import aggregates
from pulse import services as pulse_services
from pulse.models import PulseResponse
from scan.periods import period_of
from tests import factories
from tests.actions.test_sign_off import sign
from tests.honeycomb.test_results import forced_answers

pytestmark = pytest.mark.django_db

MEASURES = (
    "bron;meting;periode;einddatum;waarde;sectorgemiddelde\n"
    "Aedes;reparaties;2025-K2;2025-06-30;6,6;7,3\n"
    "Aedes;reparaties;2025-K4;2025-12-31;6,9;7,3\n"
    "Aedes;betrekken;2025-K4;2025-12-31;7,2;\n"
    "KWH;reparaties;2025-K4;2025-12-31;7,7;\n"
)
# Every query the page makes, with a history of any length: session, user, membership and
# organisation, the latest closed round, the trend's rounds, the overall table of their
# snapshots (signed and released), the schedule, the actions (counts and per cell), the
# ambition, the measures and the pulse (moments, its round, its figures, call-backs). The
# honeycomb's pack comes from the shared cache, drawn from those snapshots.
BUDGET = 16


def history(org, version, people, rounds: int, *, actions: int = 3) -> list:
    """``rounds`` closed and released rounds, each prepared from the one before; the first one
    signed. An ambition, actions on cells, measures and a month of the pulse."""
    today = timezone.localdate()
    made = []
    for i in range(rounds):
        closes = today - dt.timedelta(days=120 * (rounds - i))
        scan_round = factories.scan_round(
            org, version=version, title=f"Meting {i + 1}", period=str(2020 + i)
        )
        scan_round.opens_on, scan_round.closes_on = closes - dt.timedelta(days=30), closes
        scan_round.previous_round = made[-1] if made else None
        scan_round.save()
        forced_answers(scan_round, "staff", 5, 2 + i % 3)
        forced_answers(scan_round, "tenants", 5, 1 + (i + 1) % 4)
        factories.release(scan_round)
        made.append(scan_round)
    sign(made[0], people)
    access = access_for(people["coordinator_a"], org)
    for i in range(actions):
        services.action_create(access=access, title=f"Actie {i}", cells=[("KP1", "KV1")[i % 2]])
    services.ambition_set(
        organisation=org,
        statement="Klantgericht in alles",
        horizon=today + dt.timedelta(days=700),
        targets={"KP1": (4, "Reparaties eerst"), "KV1": (3, "")},
        user=people["coordinator_a"],
    )
    services.measures_import(organisation=org, filename="m.csv", content=MEASURES.encode())
    moments = {m.code: m for m in pulse_services.moments_install_defaults(organisation=org)}
    moment = moments["reparatie"]
    aggregates.responses_add(
        PulseResponse(
            organisation=org,
            moment=moment,
            questionnaire=moment.questionnaires.first(),
            month=today.replace(day=1),
            grade=grade,
        )
        for grade in (8, 8, 7, 9, 4, 6)
    )
    return made


def dashboard(client):
    return client.get(reverse("actions:dashboard", kwargs={"org": "alfa"}))


@pytest.mark.parametrize(("rounds", "actions"), [(2, 2), (6, 12)])
def test_the_dashboard_reads_each_kind_of_thing_once(
    client, people, org_a, version, django_assert_max_num_queries, rounds, actions
):
    history(org_a, version, people, rounds, actions=actions)
    client.force_login(people["director_a"])
    dashboard(client)  # warm the model cache, as a running site has it
    with django_assert_max_num_queries(BUDGET):
        page = dashboard(client)
    assert page.status_code == 200
    assert len(page.context["data"]["trend"]) == rounds


def test_the_dashboard_shows_the_releases_figures(client, people, org_a, version):
    made = history(org_a, version, people, 4)
    client.force_login(people["director_a"])
    html = dashboard(client).content.decode()
    table = re.search(r"<caption>Totaalscore per ronde</caption>.*?</table>", html, re.S)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", table.group(0))
    expected = []
    for scan_round in made:
        release = Release.objects.filter(round=scan_round).order_by("-number").first()
        results = RoundResults.from_snapshot(release.data, signed=False)
        assert release.overall == results.overall().mean
        expected.append((period_of(scan_round), f"{release.overall:.1f}".replace(".", ",")))
    assert rows == expected
    latest = RoundResults.from_snapshot(made[-1].releases.first().data, signed=False)
    domains = re.findall(r'<p class="meta">([^<]*)</p><p class="stat">([^<]*)</p>', html)
    assert ("Klantvisie", fmt_score(latest.domain("KV").mean)) in domains


def without_request_tokens(page) -> str:
    """The page without what every response has of its own: script nonces, CSRF tokens."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', page.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_dashboard_from_the_cache_is_the_dashboard_drawn_afresh(client, people, org_a, version):
    history(org_a, version, people, 3)
    client.force_login(people["coordinator_a"])  # with the measures' import form
    cache.clear()
    drawn = without_request_tokens(dashboard(client))
    assert 'id="honeycomb-chart"' in drawn and 'id="measure-chart-2"' in drawn
    again = without_request_tokens(dashboard(client))  # charts from the shared cache
    assert again == drawn
    cache.clear()
    assert without_request_tokens(dashboard(client)) == drawn


def test_a_new_action_or_release_shows_at_once(client, people, org_a, version):
    made = history(org_a, version, people, 2)
    client.force_login(people["director_a"])

    def kp1():
        pack = dashboard(client).context["pack"]
        row = next(r for r in pack.priorities if r.code == "KP1")
        return row.open_actions, row.score

    actions, score = kp1()
    services.action_create(
        access=access_for(people["coordinator_a"], org_a), title="Nieuw", cells=["KP1"]
    )
    assert kp1() == (actions + 1, score)
    forced_answers(made[-1], "staff", 5, 5)  # late answers, then a new release
    release_make(scan_round=made[-1], kind=ReleaseKind.CLOSING)
    assert kp1()[1] > score
