"""A contract partner's login lands on its scorecard, not on an empty list of organisations."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pulse import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_partner_login_goes_to_its_scorecard(client, org_a):
    partner = services.partner_create(organisation=org_a, name="Bouwbedrijf Jansen")
    user = get_user_model().objects.create_user(email="planner@jansen.nl", password=PASSWORD)
    partner.users.add(user)
    client.force_login(user)
    assert client.get(reverse("cms:start")).url == reverse("pulse_public:partner_home")


def test_a_member_who_is_also_a_partner_sees_both(client, people, org_a, org_b):
    partner = services.partner_create(organisation=org_b, name="Schilder De Vries")
    partner.users.add(people["coordinator_a"])
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("cms:start")).content.decode()
    assert "Woonstichting Alfa" in page
    assert reverse("pulse:scorecard", kwargs={"org": "beta", "code": partner.code}) in page
