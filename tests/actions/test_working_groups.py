"""Several working groups per organisation, actions owned by a person or a group, the mail
to whoever an action is assigned to, the "my actions" start page and the action list as a
file."""

import csv
import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from actions import services
from actions.models import ImprovementAction, WorkingGroup
from actions.workload import my_actions
from core.models import AuditEvent, Membership, OutgoingMail
from core.permissions import access_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(people, org_a, closed_round):
    def make(name, chair, members):
        return services.working_group_set(
            organisation=org_a, name=name, chair=chair, members=members, user=None
        )

    second = factories.member(org_a, "workgroup", email="tweede-werkgroep@example.org")
    return {
        "huur": make("Werkgroep huurders", people["coordinator_a"], [people["workgroup_a"]]),
        "proces": make("Werkgroep processen", None, [second]),
        "second": second,
    }


def _action(people, org_a, **kwargs):
    return services.action_create(
        access=access_for(people["consultant_a"], org_a), title="Actie", cells=["KP1"], **kwargs
    )


def test_an_organisation_has_several_working_groups_with_unique_names(people, org_a, groups):
    assert list(org_a.working_groups.values_list("name", flat=True)) == [
        "Werkgroep huurders",
        "Werkgroep processen",
    ]
    with pytest.raises(services.CycleError, match="al een werkgroep"):
        services.working_group_set(
            organisation=org_a,
            name="Werkgroep huurders",
            chair=None,
            members=[],
            user=None,
            group=groups["proces"],
        )
    with pytest.raises(services.CycleError, match="geen lid"):
        services.working_group_set(
            organisation=org_a, name="X", chair=None, members=[people["workgroup_b"]], user=None
        )
    assert WorkingGroup.objects.filter(organisation=org_a).count() == 2


def test_the_group_form_adds_and_changes_groups_per_role_and_organisation(
    client, people, org_a, groups
):
    edit = reverse("actions:working_group_edit", kwargs={"org": "alfa", "pk": groups["huur"].pk})
    data = {"name": "Werkgroep wonen", "members": [people["workgroup_a"].pk]}
    for role in ("director", "workgroup"):
        client.force_login(people[f"{role}_a"])
        assert client.get(edit).status_code == 403
        assert client.post(edit, data).status_code == 403
    client.force_login(people["consultant_b"])
    assert client.get(edit).status_code == 404
    client.force_login(people["coordinator_a"])
    assert client.post(edit, data).status_code == 302
    groups["huur"].refresh_from_db()
    assert groups["huur"].name == "Werkgroep wonen"
    new = reverse("actions:working_group", kwargs={"org": "alfa"})
    assert client.post(new, {"name": "Werkgroep digitaal"}).status_code == 302
    assert org_a.working_groups.count() == 3
    page = client.get(new).content.decode()
    assert "Werkgroep digitaal" in page and "Werkgroep processen" in page


def test_members_of_the_owning_group_change_the_action_others_do_not(client, people, org_a, groups):
    action = _action(people, org_a, owner=None, working_group=groups["proces"])
    assert action.owner is None and action.working_group == groups["proces"]
    url = reverse("actions:detail", kwargs={"org": "alfa", "pk": action.pk})
    progress = {"form": "progress", "note": "Eerste gesprek gevoerd"}
    client.force_login(people["workgroup_a"])  # in another group, not its chair
    assert client.post(url, progress).status_code == 403
    client.force_login(groups["second"])
    assert client.post(url, progress).status_code == 302
    assert action.updates.get().author == groups["second"]


def test_an_action_is_owned_by_a_person_or_a_group_not_both(people, org_a, org_b, groups):
    with pytest.raises(services.CycleError, match="niet van allebei"):
        _action(people, org_a, owner=people["workgroup_a"], working_group=groups["huur"])
    other = WorkingGroup.objects.create(organisation=org_b, name="Beta")
    with pytest.raises(services.CycleError, match="van deze organisatie"):
        _action(people, org_a, owner=None, working_group=other)
    assert not ImprovementAction.objects.exists()


def test_assignment_mails_go_through_the_outbox_to_the_new_owners(
    people, org_a, groups, django_capture_on_commit_callbacks
):
    org_a.reply_to = "werkgroep@alfa.example"
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        action = _action(people, org_a, owner=None, working_group=groups["huur"], due_on=None)
    # The group's members, the consultant who assigned it not.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["workgroup_a"].email, people["coordinator_a"].email]
    )
    assert all(m.reply_to == ["werkgroep@alfa.example"] for m in mail.outbox)
    assert "Werkgroep huurders" in mail.outbox[0].body
    assert f"/cycle/actions/{action.pk}/" in mail.outbox[0].body
    assert OutgoingMail.objects.filter(recipient=people["workgroup_a"].email).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.action_change(
            action=action,
            access=access_for(people["consultant_a"], org_a),
            revision=action.revision,
            owner=people["director_a"],
            working_group=None,
        )
    [assigned] = mail.outbox
    assert assigned.to == [people["director_a"].email] and "Actie" in assigned.subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # no new owner: no mail
        services.action_change(
            action=action,
            access=access_for(people["consultant_a"], org_a),
            revision=action.revision + 1,
            title="Actie, scherper",
        )
    assert mail.outbox == []


def test_my_actions_lists_own_and_group_actions_across_organisations(
    client, people, org_a, org_b, groups, version
):
    factories.scan_round(org_b, version=version)  # org B's actions link to its model's cells
    mine = _action(people, org_a, owner=people["workgroup_a"])
    ours = _action(people, org_a, owner=None, working_group=groups["huur"])
    _action(people, org_a, owner=None, working_group=groups["proces"])  # not their group
    Membership.objects.create(user=people["workgroup_a"], organisation=org_b, role="workgroup")
    beta = services.working_group_set(
        organisation=org_b, name="Beta", chair=None, members=[people["workgroup_a"]], user=None
    )
    theirs = services.action_create(
        access=access_for(people["consultant_b"], org_b),
        title="Beta-actie",
        cells=["KP1"],
        owner=None,
        working_group=beta,
    )
    assert set(my_actions(people["workgroup_a"])) == {mine, ours, theirs}
    Membership.objects.filter(user=people["workgroup_a"], organisation=org_b).delete()
    assert set(my_actions(people["workgroup_a"])) == {mine, ours}
    client.force_login(people["workgroup_a"])
    page = client.get(reverse("cms:my_actions")).content.decode()
    assert f"/org/alfa/cycle/actions/{ours.pk}/" in page and "Beta-actie" not in page


def test_a_working_group_member_lands_on_their_actions(client, people):
    response = client.post(
        reverse("cms:login"),
        {"username": people["workgroup_a"].email, "password": factories.PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cms:my_actions")
    client.logout()
    response = client.post(
        reverse("cms:login"),
        {"username": people["coordinator_a"].email, "password": factories.PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cms:start")


def test_the_action_list_downloads_formula_safe_for_members_only(client, people, org_a, groups):
    _action(people, org_a, owner=None, working_group=groups["huur"])
    services.action_create(
        access=access_for(people["consultant_a"], org_a),
        title='=HYPERLINK("http://x","klik")',
        cells=["KP1"],
        expected_effect="+31 minder klachten",
    )
    client.force_login(people["workgroup_a"])
    url = reverse("actions:export", kwargs={"org": "alfa", "fmt": "csv"})
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Actie", "Cellen", "Eigenaar"]
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x","klik")' in cells and "'+31 minder klachten" in cells
    assert "Werkgroep huurders" in cells
    xlsx = client.get(reverse("actions:export", kwargs={"org": "alfa", "fmt": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    formula = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert formula and all(c.data_type == "s" for c in formula)
    assert AuditEvent.objects.filter(kind="export", detail__what="actions (xlsx)").exists()
    only_done = client.get(url + "?status=done").content.decode("utf-8-sig")
    assert "HYPERLINK" not in only_done
    assert client.get(url.replace("csv", "pdf")).status_code == 404
    client.force_login(people["consultant_b"])
    assert client.get(url).status_code == 404


def test_reminders_of_a_group_action_reach_its_members(
    people, org_a, groups, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    today = timezone.localdate()
    _action(people, org_a, owner=None, working_group=groups["proces"], due_on=today)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # mails leave after commit
        assert services.reminders_send(today) == 1
    assert [m.to for m in mail.outbox] == [[groups["second"].email]]
    assert services.reminders_send(today) == 0  # once per kind and week
