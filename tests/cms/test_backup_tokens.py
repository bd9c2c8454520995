"""API tokens in an organisation's backup, as before they became one model: the organisation's
pulse tokens are in the file and work again after a restore; personal results tokens are not
in it. A file written before the move (with ``pulse.ingesttoken``) restores its tokens too."""

import json

import pytest

from cms.backup import export_organisation, import_organisation
from core.models import AccessToken, Organisation, TokenScope
from honeycomb.services import api_token_create
from pulse.services import ingest_token_create
from tests.bearer import pulse

pytestmark = pytest.mark.django_db


def test_pulse_tokens_are_backed_up_and_personal_tokens_are_not(client, people, org_a):
    system, raw = ingest_token_create(organisation=org_a, name="Onderhoudssysteem")
    personal, personal_raw = api_token_create(user=people["director_a"], name="Power BI")
    items = json.loads(export_organisation(org_a))
    tokens = [i for i in items if i["model"] == "core.accesstoken"]
    assert [t["pk"] for t in tokens] == [system.pk]
    assert personal.token_hash not in json.dumps(items)

    text = json.dumps(items)
    Organisation.objects.filter(pk=org_a.pk).delete()
    assert list(AccessToken.objects.all()) == [personal]  # a person's token is not the org's
    assert pulse(client, raw).status_code == 401
    import_organisation(text)
    assert pulse(client, raw).status_code == 200
    assert AccessToken.objects.get(pk=system.pk).scope == TokenScope.PULSE_EVENTS


def test_a_backup_with_the_old_ingest_tokens_restores_them(client, people, org_a):
    system, raw = ingest_token_create(organisation=org_a, name="Onderhoudssysteem")
    items = json.loads(export_organisation(org_a))
    for item in items:
        if item["model"] == "core.accesstoken":
            item["model"] = "pulse.ingesttoken"
            del item["fields"]["user"]
    Organisation.objects.filter(pk=org_a.pk).delete()
    # the old id is someone's personal token here now: it stays theirs
    taken, personal_raw = api_token_create(user=people["director_b"], name="BI")
    AccessToken.objects.filter(pk=taken.pk).update(id=system.pk)
    import_organisation(json.dumps(items))
    restored = AccessToken.objects.get(organisation=org_a)
    assert restored.name == "Onderhoudssysteem" and restored.pk != system.pk
    assert restored.token_hash == system.token_hash and restored.expires_at == system.expires_at
    assert pulse(client, raw).status_code == 200
    mine = AccessToken.objects.get(pk=system.pk)
    assert mine.user == people["director_b"] and mine.scope == TokenScope.RESULTS_READ
    headers = {"HTTP_AUTHORIZATION": f"Bearer {personal_raw}"}
    assert client.get("/api/v1/organisations", **headers).status_code == 200
