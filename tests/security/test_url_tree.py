"""The URL tree is the map: every page of an organisation hangs under ``org/<slug:org>/``,
where membership is checked once for the whole subtree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _routes():
    return list(_walk(get_resolver().url_patterns))


def test_every_page_with_an_organisation_is_inside_the_guarded_subtree():
    routes = _routes()
    inside = [(route, p) for route, p in routes if "<slug:org>" in route]
    assert len(inside) > 40, "the organisation subtree was not found"
    outside = [route for route, _p in inside if not route.lstrip("^").startswith("org/<slug:org>/")]
    unguarded = [route for route, p in inside if not getattr(p.callback, "organisation_guarded", 0)]
    assert outside == []
    assert unguarded == []


def test_pages_outside_the_subtree_take_no_organisation():
    """Respondent, survey and card links, the partner start, account pages and the portfolio
    live at the root and never take an organisation from the URL."""
    names = {p.name for route, p in _routes() if "<slug:org>" not in route and p.name}
    assert {"respond", "survey", "card_survey", "partner_home", "api_tokens", "portfolio"} <= names


@pytest.mark.django_db
def test_membership_is_looked_up_once_per_request(client, org_a, people, round_a):
    client.force_login(people["coordinator_a"])
    url = reverse("scan:round", kwargs={"org": org_a.slug, "pk": round_a.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    membership_reads = [q["sql"] for q in queries if 'FROM "scan_membership"' in q["sql"]]
    assert len(membership_reads) == 1, membership_reads


@pytest.mark.django_db
def test_a_partner_login_sees_nothing_but_its_own_pages(client, org_a, people):
    """An outside role passes the subtree's check but no member page lets it in."""
    from pulse.models import ContractPartner

    partner = ContractPartner.objects.create(organisation=org_a, name="Jansen", code="jansen")
    user = factories.UserFactory()
    partner.users.add(user)
    client.force_login(user)
    for name in ("scan:organisation", "actions:dashboard", "pulse:overview"):
        assert client.get(reverse(name, kwargs={"org": org_a.slug})).status_code == 404, name
