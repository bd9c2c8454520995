"""Personal results-API tokens: the last use is kept to the minute without a write per
request, and a coordinator revokes the tokens of people whose only role is in their
organisation."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Membership, Role
from honeycomb.models import ApiToken
from honeycomb.services import api_token_create
from tests import factories


def _token_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("UPDATE") and "apitoken" in q["sql"].lower()
    ]


def test_last_use_is_written_at_most_once_a_minute(client, people):
    token, raw = api_token_create(user=people["director_a"], name="Power BI")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/organisations", **headers).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    with CaptureQueriesContext(connection) as burst:
        for _ in range(3):
            assert client.get("/api/v1/organisations", **headers).status_code == 200
    assert _token_writes(burst.captured_queries) == []
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    earlier = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    with CaptureQueriesContext(connection) as later:
        assert client.get("/api/v1/organisations", **headers).status_code == 200
    assert len(_token_writes(later.captured_queries)) == 1
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier


def test_api_tokens_page_shows_the_last_use(client, people):
    _token, raw = api_token_create(user=people["director_a"], name="Power BI")
    client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.force_login(people["director_a"])
    page = client.get(reverse("cms:api_tokens")).content.decode()
    assert "Laatst gebruikt" in page
    today = timezone.localdate()
    assert str(today.year) in page.split("Power BI", 1)[1]


def test_coordinator_sees_and_revokes_tokens_of_people_only_in_their_organisation(
    client, people, org_a, org_b
):
    only_here, only_here_raw = api_token_create(user=people["workgroup_a"], name="Eigen BI")
    two_orgs_user = factories.member(org_a, Role.DIRECTOR, email="twee@example.org")
    Membership.objects.create(user=two_orgs_user, organisation=org_b, role=Role.DIRECTOR)
    two_orgs, _raw = api_token_create(user=two_orgs_user, name="Twee-organisaties BI")
    consultant, _raw = api_token_create(user=people["consultant_a"], name="Adviseur BI")
    other_org, _raw = api_token_create(user=people["workgroup_b"], name="Beta BI")

    url = reverse("api_tokens:organisation", kwargs={"org": "alfa"})
    client.force_login(people["coordinator_a"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Eigen BI" in html
    assert "alleen in deze organisatie" in html  # the page says whose tokens it lists
    for hidden in ("Twee-organisaties BI", "Adviseur BI", "Beta BI"):
        assert hidden not in html

    # Tokens outside the list cannot be revoked by id either.
    for token in (two_orgs, consultant, other_org):
        client.post(url, {"revoke": token.pk})
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    response = client.post(url, {"revoke": only_here.pk})
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=only_here.pk).revoked_at is not None
    refused = client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {only_here_raw}")
    assert refused.status_code == 401


def test_only_coordinators_open_the_member_tokens_page(client, people):
    url = reverse("api_tokens:organisation", kwargs={"org": "alfa"})
    for name in ("workgroup_a", "director_a"):
        client.force_login(people[name])
        assert client.get(url).status_code == 403
    client.force_login(people["coordinator_b"])
    assert client.get(url).status_code == 404
    client.force_login(people["coordinator_a"])
    own = client.get(reverse("cms:api_tokens")).content.decode()
    assert url in own
