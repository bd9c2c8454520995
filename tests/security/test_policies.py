"""Each app's permission policy is the one answer to "may this person do that here": the
table below is the product's rule, and services refuse an access that does not hold it."""

import pytest
from django.core.exceptions import PermissionDenied

from actions import services
from actions.permissions import ACTIONS_POLICY
from honeycomb.permissions import HONEYCOMB_POLICY
from pulse.permissions import PULSE_POLICY
from scan.models import Role, RoundStatus
from scan.permissions import SCAN_POLICY, Access, access_for
from tests import factories

C, CO, D, W = Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR, Role.WORKGROUP

RULES = [
    (SCAN_POLICY, "manage_rounds", {C}),
    (SCAN_POLICY, "manage_respondents", {C, CO}),
    (SCAN_POLICY, "manage_people", {C}),
    (SCAN_POLICY, "ask_consultant", {CO}),
    (HONEYCOMB_POLICY, "view_results", {C, CO, D, W}),
    (HONEYCOMB_POLICY, "run_workshop", {C}),
    (HONEYCOMB_POLICY, "revoke_member_tokens", {CO}),
    (ACTIONS_POLICY, "set_ambition", {C, CO, D}),
    (ACTIONS_POLICY, "manage_cycle", {C, CO}),
    (ACTIONS_POLICY, "plan_evaluations", {C}),
    (ACTIONS_POLICY, "write_summary", {C}),
    (ACTIONS_POLICY, "sign_off", {D}),
    (PULSE_POLICY, "manage_pulse", {C, CO}),
    (PULSE_POLICY, "handle_callbacks", {C, CO}),
    (PULSE_POLICY, "read_open_answers", {C, CO, D, "partner"}),
]


@pytest.mark.parametrize(("policy", "capability", "roles"), RULES)
def test_each_capability_belongs_to_exactly_these_roles(policy, capability, roles, org_a):
    for role in [*Role.values, "partner"]:
        access = Access(organisation=org_a, role=role)
        assert policy.allows(access, capability) == (role in roles), (capability, role)
    assert not policy.allows(None, capability)


def test_a_partner_holds_no_member_capability(org_a):
    partner = Access(organisation=org_a, role="partner")
    member_only = [SCAN_POLICY, HONEYCOMB_POLICY, ACTIONS_POLICY]
    assert not any(any(p.capabilities(partner).values()) for p in member_only)


@pytest.mark.django_db
def test_services_refuse_an_access_of_another_organisation(people, org_a, org_b, version):
    closed = factories.scan_round(org_a, version=version, status=RoundStatus.CLOSED)
    director_b = factories.member(org_b, Role.DIRECTOR, email="board-b@x.nl")
    with pytest.raises(PermissionDenied):
        services.review_sign_off(
            scan_round=closed,
            access=access_for(director_b, org_b),
            comment="",
            revision=0,
        )
    with pytest.raises(PermissionDenied):
        services.review_sign_off(
            scan_round=closed, access=access_for(director_b, org_a), comment="", revision=0
        )
