"""Each app's permission policy is the one answer to "may this person do that here": the
table below is the product's rule, and services refuse an access that does not hold it."""

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from actions import services
from actions.permissions import ACTIONS_POLICY
from core.models import Role
from core.permissions import Access, access_for
from honeycomb.permissions import HONEYCOMB_POLICY
from pulse.permissions import PULSE_POLICY
from scan.models import RoundStatus
from scan.permissions import SCAN_POLICY
from tests import factories

C, CO, D, W = Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR, Role.WORKGROUP

RULES = [
    (SCAN_POLICY, "view_organisation", {C, CO, D, W}),
    (SCAN_POLICY, "read_audit_log", {C, CO, D, W}),
    (SCAN_POLICY, "manage_rounds", {C}),
    (SCAN_POLICY, "manage_respondents", {C, CO}),
    (SCAN_POLICY, "manage_people", {C}),
    (SCAN_POLICY, "ask_consultant", {CO}),
    (HONEYCOMB_POLICY, "view_results", {C, CO, D, W}),
    (HONEYCOMB_POLICY, "export_results", {C, CO, D, W}),
    (HONEYCOMB_POLICY, "run_workshop", {C}),
    (HONEYCOMB_POLICY, "make_interim_release", {C}),
    (HONEYCOMB_POLICY, "revoke_member_tokens", {CO}),
    (ACTIONS_POLICY, "view_cycle", {C, CO, D, W}),
    (ACTIONS_POLICY, "set_ambition", {C, CO, D}),
    (ACTIONS_POLICY, "manage_cycle", {C, CO}),
    (ACTIONS_POLICY, "plan_evaluations", {C}),
    (ACTIONS_POLICY, "write_summary", {C}),
    (ACTIONS_POLICY, "sign_off", {D}),
    (ACTIONS_POLICY, "create_actions", {C, CO, W}),
    (ACTIONS_POLICY, "change_any_action", {C}),
    (PULSE_POLICY, "view_pulse", {C, CO, D, W}),
    (PULSE_POLICY, "view_scorecards", {C, CO, D, W}),
    (PULSE_POLICY, "manage_pulse", {C, CO}),
    (PULSE_POLICY, "handle_callbacks", {C, CO}),
    (PULSE_POLICY, "read_open_answers", {C, CO, D, "partner"}),
]


POLICIES = {
    "SCAN_POLICY": SCAN_POLICY,
    "HONEYCOMB_POLICY": HONEYCOMB_POLICY,
    "ACTIONS_POLICY": ACTIONS_POLICY,
    "PULSE_POLICY": PULSE_POLICY,
}
ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "scan", "honeycomb", "actions", "pulse", "sso", "cms")


def test_the_table_names_every_capability_of_every_policy():
    declared = {(id(p), c) for p in POLICIES.values() for c in p.rules}
    assert {(id(p), c) for p, c, _roles in RULES} == declared


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


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
    yield from sorted((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        yield from sorted((ROOT / app).rglob("templates/**/*.html"))


def test_every_organisation_view_asks_its_policy_for_a_declared_capability():
    """``organisation_view`` takes a capability's roles (``SCAN_POLICY.roles("manage_rounds")``):
    a set of roles written out, or every role, would bypass the policy."""
    offenders = []
    for path in _sources():
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "organisation_view"
            ):
                continue
            arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
            asked = (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "roles"
                and isinstance(arg.func.value, ast.Name)
                and arg.func.value.id in POLICIES
                and len(arg.args) == 1
                and isinstance(arg.args[0], ast.Constant)
                and arg.args[0].value in POLICIES[arg.func.value.id].rules
            )
            if not asked:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_declared_capability_is_asked_by_some_view_service_or_template():
    """A capability nobody asks is decoration: the rule it names is decided elsewhere."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in _sources())
    unused = [
        capability
        for policy in POLICIES.values()
        for capability in policy.rules
        # once where it is declared, at least once where it is asked
        if len(re.findall(rf'"{capability}"|can\.{capability}\b', text)) < 2
    ]
    assert unused == []
