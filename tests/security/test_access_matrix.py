"""Every URL of the project, requested by every kind of visitor with ids of organisation A.

Fails when anyone gets a 200 on something that is not theirs, when a POST by someone not
allowed changes data, and when a URL exists that this matrix does not cover.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from actions import services as cycle
from actions.models import ActionEvent, Ambition, ImprovementAction, Review
from core.models import AccessToken, Membership, Organisation
from core.permissions import access_for
from honeycomb.models import ReportJob
from honeycomb.services import api_token_create
from scan import services
from scan.models import (
    Answer,
    Consensus,
    MailTemplate,
    OpenLink,
    Respondent,
    RespondentToken,
    ScanRound,
)
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("coordinator", "workgroup", "director", "consultant")
IDENTITIES = ("anonymous", "respondent_b", *(f"{r}_a" for r in ROLES), *(f"{r}_b" for r in ROLES))
ALL_A = {f"{r}_a" for r in ROLES}
EVERYONE = set(IDENTITIES)
LOGGED_IN = EVERYONE - {"anonymous", "respondent_b"}
STAFF = {"consultant_a", "consultant_b"}

# Who may see each named page (a 200) when it is requested with ids of organisation A.
POLICY: dict[str, set[str]] = {
    # public
    "set_language": EVERYONE,
    "health": EVERYONE,
    "api:openapi-json": EVERYONE,
    "cms:login": EVERYONE,
    "cms:logout": EVERYONE,
    "cms:password_reset": EVERYONE,
    "cms:password_reset_done": EVERYONE,
    "cms:password_reset_confirm": EVERYONE,
    "cms:password_reset_complete": EVERYONE,
    # signing in through an organisation's identity provider: a redirect or a refusal, never
    # a page of data; the providers' webhooks answer only to the provider's signature
    "sso:start": EVERYONE,
    "sso:callback": EVERYONE,
    "core_webhooks:mail_events": EVERYONE,
    "pulse_webhooks:sms_status": EVERYONE,
    "javascript-catalog": EVERYONE,
    "wagtail_serve": EVERYONE,
    "wagtailcore_login": EVERYONE,
    "wagtailcore_authenticate_with_password": EVERYONE,
    "wagtaildocs_serve": EVERYONE,
    "wagtaildocs_authenticate_with_password": EVERYONE,
    # any account, own data only
    "cms:start": LOGGED_IN,
    "cms:my_actions": LOGGED_IN,
    "cms:landing": set(),  # a redirect to the start page or to my actions
    "cms:api_tokens": LOGGED_IN,
    "api_tokens:organisation": {"coordinator_a"},
    "cms:portfolio": STAFF,
    "cms:organisation_create": STAFF,
    # API (bearer tokens of each identity)
    "api:api-root": set(),
    "api:organisations": LOGGED_IN,
    "api:rounds": ALL_A,
    "api:scores": ALL_A,
    "api:gaps": ALL_A,
    # the respondent's own link (tested separately with a tampered token below)
    # The link is the credential: whoever holds A's link is A's respondent. Someone without it
    # cannot build it; tampered links are tested below.
    "scan_public:respond": EVERYONE,
    "scan_public:respond_step": EVERYONE,
    "scan_public:open_link": EVERYONE,
    "scan_public:open_link_qr": EVERYONE,
    # the invitation link: the token is the credential (a made-up one gives the "invalid" page)
    "scan_public:welcome": EVERYONE,
    # organisation A
    "scan:organisation": ALL_A,
    "scan:audit_log": ALL_A,
    "scan:round": ALL_A,
    "scan:round_create": {"consultant_a"},
    "scan:round_edit": {"consultant_a"},
    "scan:ask_consultant": set(),
    "scan:member_invite": set(),
    "scan:member_reinvite": set(),
    "scan:member_role": set(),
    "scan:member_remove": set(),
    "scan:round_status": set(),
    "scan:respondent_add": set(),
    "scan:respondent_import": set(),
    "scan:respondent_import_confirm": set(),
    "scan:respondent_link": set(),
    "scan:invitations_send": set(),
    "scan:reminders_send": set(),
    "scan:mails_retry": set(),
    "scan:open_link_create": set(),
    "scan:open_link_revoke": set(),
    "scan:round_delete": set(),
    "scan:respondent_delete": set(),
    "scan:respondents_bulk": set(),
    "scan:respondents_export": {"consultant_a", "coordinator_a"},
    "honeycomb:results": ALL_A,
    "honeycomb:cell": ALL_A,
    "honeycomb:compare": ALL_A,
    "honeycomb:trend": ALL_A,
    "honeycomb:excel": ALL_A,
    "honeycomb:report": set(),
    "honeycomb:report_status": ALL_A,
    "honeycomb:report_download": ALL_A,
    "honeycomb:workshop": {"consultant_a"},
    "honeycomb:release_interim": set(),
    "actions:list": ALL_A,
    "actions:create": {"consultant_a", "coordinator_a", "workgroup_a"},
    "actions:detail": ALL_A,
    "actions:evidence": ALL_A,
    "actions:ambition": ALL_A,
    "actions:working_group": ALL_A,
    "actions:working_group_edit": {"consultant_a", "coordinator_a"},
    "actions:export": ALL_A,
    "actions:dashboard": ALL_A,
    "actions:schedule": {"consultant_a"},
    "actions:measures_import": set(),
    "review:round": ALL_A,
    "review:signed_version": ALL_A,
    # tenant pulse: the survey needs its own link; scorecards a partner code of organisation A
    "pulse_public:survey": set(),
    "pulse_public:partner_home": set(),
    "pulse:overview": ALL_A,
    "pulse:events_upload": {"consultant_a", "coordinator_a"},
    "pulse:call_back_done": set(),
    "pulse:call_back_assign": set(),
    "pulse:scorecard": set(),
    "pulse:scorecard_pdf": set(),
    "pulse:scorecard_pptx": set(),
    # the card after a visit: a made-up moment code (x) is nobody's; its survey needs a card link
    "pulse:card": set(),
    "pulse:card_link": set(),
    "pulse_public:card_survey": set(),
    # the pulse API takes organisation ingest tokens only: personal tokens get nothing
    "pulse_api:api-root": set(),
    "pulse_api:openapi-json": EVERYONE,
    "pulse_api:post_events": set(),
}
# POST-only changes: who may change data in organisation A.
POST_ALLOWED: dict[str, set[str]] = {
    "scan:member_invite": {"consultant_a"},
    "scan:member_reinvite": {"consultant_a"},
    "scan:member_role": {"consultant_a"},
    "scan:member_remove": {"consultant_a"},
    "scan:round_status": {"consultant_a"},
    "scan:respondent_add": {"consultant_a", "coordinator_a"},
    "scan:respondent_import": {"consultant_a", "coordinator_a"},
    "scan:respondent_import_confirm": {"consultant_a", "coordinator_a"},
    "scan:respondent_link": {"consultant_a", "coordinator_a"},
    "scan:invitations_send": {"consultant_a", "coordinator_a"},
    "scan:reminders_send": {"consultant_a", "coordinator_a"},
    "scan:mails_retry": {"consultant_a", "coordinator_a"},
    "scan:open_link_create": {"consultant_a", "coordinator_a"},
    "scan:open_link_revoke": {"consultant_a", "coordinator_a"},
    "scan:round_delete": {"consultant_a"},
    "scan:respondent_delete": {"consultant_a", "coordinator_a"},
    "scan:respondents_bulk": {"consultant_a", "coordinator_a"},
    "honeycomb:report": ALL_A,
    "honeycomb:release_interim": {"consultant_a"},
    "api_tokens:organisation": {"coordinator_a"},
    "actions:measures_import": {"consultant_a", "coordinator_a"},
    "honeycomb:workshop": {"consultant_a"},
    "actions:detail": {"consultant_a", "workgroup_a"},
    "actions:ambition": {"consultant_a", "coordinator_a", "director_a"},
    "review:round": {"consultant_a", "director_a"},
    "actions:working_group": {"consultant_a", "coordinator_a"},
    "actions:working_group_edit": {"consultant_a", "coordinator_a"},
    "actions:schedule": {"consultant_a"},
    "scan:round_create": {"consultant_a"},
    "scan:round_edit": {"consultant_a"},
    "scan:ask_consultant": {"coordinator_a"},
    "cms:organisation_create": STAFF,
    "actions:create": {"consultant_a", "coordinator_a", "workgroup_a"},
    "pulse:events_upload": {"consultant_a", "coordinator_a"},
    "pulse:call_back_done": {"consultant_a", "coordinator_a"},
    "pulse:call_back_assign": {"consultant_a", "coordinator_a"},
    "pulse:card_link": {"consultant_a", "coordinator_a"},
}
ADMIN_PREFIX = "cms/"
# CMS pages that must work before logging in.
ADMIN_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}
WATCHED = (
    Organisation,
    Membership,
    ScanRound,
    Respondent,
    RespondentToken,
    Answer,
    Consensus,
    OpenLink,
    ImprovementAction,
    ActionEvent,
    Ambition,
    Review,
    ReportJob,
    AccessToken,
)


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or "")


def concrete(route: str, values: dict) -> str:
    def converter(match):
        kind, name = match.group(1) or "str", match.group(2)
        if name in values:
            return str(values[name])
        return "1" if kind == "int" else "x"

    url = re.sub(r"<(?:(\w+):)?(\w+)>", converter, route)
    url = url.replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values.get(m.group(1), "1")), url)
    url = re.sub(r"\(\\d\+\)", "1", url)
    url = re.sub(r"\((?:\?:)?[^()]*(?:\([^()]*\))?[^()]*\)[*+?]?", "", url)
    return "/" + url.replace("\\", "")


@pytest.fixture
def world(people, org_a, org_b, version, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    round_a = factories.scan_round(org_a, version=version)
    round_b = factories.scan_round(org_b, version=version)
    respondent_a = factories.respondent(round_a, email="r@a.nl")
    token_a = services.respondent_issue_link(respondent_a)
    token_b = services.respondent_issue_link(factories.respondent(round_b, email="r@b.nl"))
    open_link, open_token = services.open_link_create(
        scan_round=round_a, group=round_a.groups.first(), cap=5, closes_on=round_a.closes_on
    )
    action = cycle.action_create(
        access=access_for(people["workgroup_a"], org_a), title="Actie A", cells=["KP1"]
    )
    update = cycle.action_progress(
        action=action,
        access=access_for(people["workgroup_a"], action.organisation),
        note="n",
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1 a")],
    )
    job = ReportJob.objects.create(
        round=round_a,
        status="ready",
        pack=ContentFile(b"%PDF-1.4", name="board-pack.pdf"),
        progress=100,
    )
    tokens = {name: api_token_create(user=user, name="t")[1] for name, user in people.items()}
    values = {
        "org": "alfa",
        "slug": "alfa",
        "pk": round_a.pk,
        "round_id": round_a.pk,
        "respondent_pk": respondent_a.pk,
        "link_pk": open_link.pk,
        "member_pk": Membership.objects.get(user=people["workgroup_a"], organisation=org_a).pk,
        "job": job.pk,
        "cell": "KP1",
        "evidence": update.evidence.get().pk,
        "token": token_a,
        "step": "KV1",
    }
    return {
        "values": values,
        "people": people,
        "tokens": tokens,
        "token_b": token_b,
        "open_token": open_token,
        "action": action,
        "round_a": round_a,
        "org_a": org_a,
    }


def client_for(identity: str, world) -> Client:
    client = Client()
    if identity == "respondent_b":
        client.get(f"/r/{world['token_b']}/")  # a respondent of another round, mid-scan
    elif identity != "anonymous":
        client.force_login(world["people"][identity])
    return client


def fetch(client, url, identity, world, method="get"):
    headers = {}
    if url.startswith("/api/") and identity in world["tokens"]:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][identity]}"
    return getattr(client, method)(url, **headers)


def counts():
    return [model.objects.count() for model in WATCHED]


def test_matrix_covers_every_url_and_nobody_sees_what_is_not_theirs(world):
    routes = list(walk(get_resolver().url_patterns))
    uncovered = [
        f"{route} ({name})"
        for route, name in routes
        if not route.startswith(ADMIN_PREFIX) and name not in POLICY
    ]
    assert uncovered == [], "URLs without an access rule: " + ", ".join(uncovered)

    leaks, writes = [], []
    clients = {identity: client_for(identity, world) for identity in IDENTITIES}
    for route, name in routes:
        if route.startswith(ADMIN_PREFIX):
            continue
        values = dict(world["values"])
        if name in ("scan_public:open_link", "scan_public:open_link_qr"):
            values["token"] = world["open_token"]
        url = concrete(route, values)
        allowed = POLICY[name]
        for identity in IDENTITIES:
            if identity in allowed:
                continue
            client = clients[identity]
            response = fetch(client, url, identity, world)
            if response.status_code == 200:
                leaks.append(f"GET {url} ({name}) as {identity}")
            if name in ("cms:logout", "set_language", "scan_public:open_link") or name.startswith(
                "api:"
            ):
                continue
            before = counts()
            response = fetch(client, url, identity, world, method="post")
            if identity not in POST_ALLOWED.get(name, set()):
                if response.status_code == 200:
                    leaks.append(f"POST {url} ({name}) as {identity}")
                if counts() != before:
                    writes.append(f"POST {url} ({name}) as {identity} changed data")
    assert leaks == []
    assert writes == []


def test_respondent_links_only_work_with_the_exact_token(world, client):
    token = world["values"]["token"]
    assert client.get(f"/r/{token}/KV1/").status_code == 200
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in (f"/r/{tampered}/", f"/r/{tampered}/KV1/", f"/r/{world['token_b']}x/KV1/"):
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url, {"respondent_wizard-current_step": "KV1", "KV1-level__KV1_1": "3"}
            ).status_code
            == 404
        )
    assert not Answer.objects.exists()


def test_admin_urls_are_closed_to_everyone_but_consultants(world):
    routes = [(r, n) for r, n in walk(get_resolver().url_patterns) if r.startswith(ADMIN_PREFIX)]
    assert len(routes) > 100
    leaks = []
    org_pk = world["org_a"].pk
    for identity in ("anonymous", "respondent_b", "director_a", "coordinator_a", "workgroup_a"):
        client = client_for(identity, world)
        for route, name in routes:
            if name in ADMIN_PUBLIC:
                continue
            url = concrete(
                route,
                {
                    **world["values"],
                    "pk": org_pk,
                    "app_label": "core",
                    "model_name": "organisation",
                },
            )
            if client.get(url).status_code == 200:
                leaks.append(f"{url} ({name}) as {identity}")
    assert leaks == []


def test_unassigned_consultant_cannot_open_another_organisations_records_in_the_cms(world):
    client = client_for("consultant_b", world)
    org_a = world["org_a"]
    membership = Membership.objects.filter(organisation=org_a).first()
    for url in (
        f"/cms/snippets/core/organisation/edit/{org_a.pk}/",
        f"/cms/snippets/core/organisation/delete/{org_a.pk}/",
        f"/cms/snippets/core/membership/edit/{membership.pk}/",
    ):
        assert client.get(url).status_code != 200, url
    listing = client.get("/cms/snippets/core/organisation/").content.decode()
    assert org_a.name not in listing
    own = client_for("consultant_a", world).get(f"/cms/snippets/core/organisation/edit/{org_a.pk}/")
    assert own.status_code == 200


def test_consultant_cannot_assign_themselves_to_another_organisation(world):
    consultant_b = world["people"]["consultant_b"]
    client = client_for("consultant_b", world)
    response = client.post(
        "/cms/snippets/core/membership/add/",
        {"user": consultant_b.pk, "organisation": world["org_a"].pk, "role": "consultant"},
    )
    assert response.status_code != 302
    assert not Membership.objects.filter(user=consultant_b, organisation=world["org_a"]).exists()


# What consultant B must never read anywhere in the CMS: organisation A's name and city and
# the addresses of its people.
SECRETS_OF_A = ("Woonstichting Alfa", "Alfastad", "-a@example.org")
APP_OF = {"organisation": "core", "membership": "core", "mailtemplate": "scan"}


def test_a_consultant_meets_no_other_client_in_any_cms_view_or_chooser(world):
    org_a = world["org_a"]
    org_a.city = "Alfastad"
    org_a.save()
    ids = {
        "organisation": org_a.pk,
        "membership": Membership.objects.filter(organisation=org_a).first().pk,
        "mailtemplate": MailTemplate.objects.create(
            organisation=org_a, kind="invitation", language="nl", subject="s", body="{link}"
        ).pk,
    }
    client = client_for("consultant_b", world)
    urls = []
    for route, name in walk(get_resolver().url_patterns):
        if not route.startswith(ADMIN_PREFIX) or name in ADMIN_PUBLIC | {
            "wagtailadmin_error_test",
            "wagtailadmin_logout",
        }:
            continue
        model = next((m for m in ids if f"_{APP_OF[m]}_{m}:" in name), "organisation")
        values = {
            **world["values"],
            "app_label": APP_OF[model],
            "model_name": model,
            "pk": ids[model],
        }
        urls.append(concrete(route, values))
    for model, pk in ids.items():
        choosers = f"/cms/snippets/choose/{APP_OF[model]}/{model}/"
        urls += [f"{choosers}?q={q}" for q in ("Woonstichting", "Alfastad", "director")]
        urls += [f"{choosers}results/?q=Alfastad", f"{choosers}chosen-multiple/?id={pk}"]
    leaks, reached = [], 0
    for url in urls:
        response = client.get(url)
        reached += response.status_code == 200
        if response.streaming:
            continue
        body = response.content.decode(errors="replace")
        query = url.partition("?q=")[2]  # a search term is echoed back: not a leak
        leaks += [f"{url}: {s}" for s in SECRETS_OF_A if s in body and s not in query]
    assert leaks == [], "\n".join(leaks)
    assert reached > 80  # the consultant really got in: the views were read, not refused
    own = client.get("/cms/snippets/choose/core/organisation/results/?q=Beta").content.decode()
    assert "Woonstichting Beta" in own
