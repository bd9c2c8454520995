"""One answer to "which organisations does this consultant serve": the portfolio, the CMS
listings and choosers, copying a round and the API all ask ``organisations_served_by``."""

import pytest

from actions.portfolio import portfolio
from core.models import Membership, Role
from core.permissions import organisations_for, organisations_served_by
from scan.admin_views import served_organisations
from scan.selectors import rounds_copyable_by
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_consultant_serves_the_organisations_of_their_consultant_memberships(people):
    assert {o.slug for o in organisations_served_by(people["consultant_a"])} == {"alfa"}
    assert {o.slug for o in organisations_served_by(people["consultant_b"])} == {"beta"}
    for role in (Role.COORDINATOR, Role.DIRECTOR, Role.WORKGROUP):
        assert not organisations_served_by(people[f"{role}_a"]).exists(), role


def test_a_consultant_membership_without_a_staff_account_or_active_account_serves_nothing(
    people, org_a
):
    plain = factories.UserFactory(is_staff=False)
    Membership.objects.create(user=plain, organisation=org_a, role=Role.CONSULTANT)
    assert not organisations_served_by(plain).exists()
    assert organisations_for(plain) == []
    gone = people["consultant_a"]
    gone.is_active = False
    gone.save()
    assert not organisations_served_by(gone).exists()


def test_portfolio_cms_copying_and_api_agree_on_what_a_consultant_serves(
    people, org_b, round_a, round_b
):
    consultant = people["consultant_b"]
    served = {o.slug for o in organisations_served_by(consultant)}
    assert served == {"beta"}
    assert {row["organisation"].slug for row in portfolio(consultant)} == served
    assert {o.slug for o in served_organisations(consultant)} == served
    assert {r.organisation.slug for r in rounds_copyable_by(consultant)} == served
    assert {a.organisation.slug for a in organisations_for(consultant)} == served
