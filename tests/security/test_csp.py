"""Every page of the site is served with a Content Security Policy that allows scripts only
from our own files, and no page carries an inline script."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.actions.conftest import answer_round

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r'<script(?![^>]*(\bsrc=|type="application/json"))[^>]*>')


def test_results_page_has_the_policy_and_no_inline_script(client, people, org_a, version):
    scan_round = factories.scan_round(org_a, version=version)
    answer_round(scan_round, "staff", 5, 3)
    scan_round.status = "closed"
    scan_round.save()
    client.force_login(people["director_a"])
    for name in ("honeycomb:results", "honeycomb:compare", "honeycomb:trend", "review:round"):
        response = client.get(reverse(name, kwargs={"org": "alfa", "pk": scan_round.pk}))
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'"  # no inline script, no eval
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
        assert " onclick=" not in html and " onload=" not in html


def test_the_cms_keeps_its_own_protections(admin_client):
    assert "Content-Security-Policy" not in admin_client.get("/cms/")
