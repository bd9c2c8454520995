"""Backup holds everything: every model whose foreign keys lead to Organisation comes back
whole after backup, deleting the organisation and restoring; a broken file changes nothing;
no password hash leaves the database."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from actions import services as cycle
from cms.backup import export_organisation
from core.models import Organisation
from core.permissions import access_for
from honeycomb.models import ReportJob
from scan import services
from scan.models import MailTemplate, RoundStatus
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def organisation_models():
    """Walked here independently of cms.backup: every concrete model with a chain of foreign
    keys to Organisation, and the lookup from it to the organisation."""
    organisation = apps.get_model("core", "Organisation")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)

    def lookup(model, depth=0, seen=()):
        if depth > 5:
            return None
        options = []
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model in (None, user_model, *seen):
                continue
            if not (field.many_to_one or field.one_to_one):
                continue
            if field.related_model is organisation:
                options.append(field.name)
            else:
                rest = lookup(field.related_model, depth + 1, (*seen, model))
                if rest:
                    options.append(f"{field.name}__{rest}")
        return min(options, key=lambda o: o.count("__")) if options else None

    out = {organisation: "pk"}
    for model in apps.get_models():
        if model is not organisation and not model._meta.proxy and (path := lookup(model)):
            out[model] = path
    return out


def rows(model, lookup, organisation_pk):
    key = model._meta.pk.attname  # "id", or the row it extends (RespondentMail's message)
    return {
        row[key]: row
        for row in model.objects.filter(**{lookup: organisation_pk}).distinct().values()
    }


@pytest.fixture
def full_organisation(people, org_a, version):
    """At least one row of every kind an organisation owns."""
    consultant, coordinator = people["consultant_a"], people["coordinator_a"]
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting")
    respondent = factories.respondent(scan_round, name="Persoon", department="Wonen")
    services.answers_save(
        respondent=respondent,
        answers=[AnswerInput("KP1.1", 3, "toelichting")],
        cell_code="KP1",
        step_comment="Stapcommentaar",
    )
    services.respondent_issue_link(respondent)
    services.open_link_create(
        scan_round=scan_round,
        group=scan_round.groups.get(kind="tenants"),
        cap=20,
        closes_on=scan_round.closes_on,
    )
    services.invitations_queue(scan_round=scan_round, user=coordinator)
    services.consensus_record(
        scan_round=scan_round, cell_code="KP1", level=3, reason="Eens", user=consultant
    )
    cycle.ambition_set(
        organisation=org_a,
        statement="Klant centraal",
        horizon=TODAY + dt.timedelta(days=700),
        targets={"KP1": (4, "Beter")},
        user=consultant,
    )
    cycle.working_group_set(
        organisation=org_a,
        name="Werkgroep",
        chair=coordinator,
        members=[people["workgroup_a"]],
        user=consultant,
    )
    action = cycle.action_create(
        access=access_for(people["workgroup_a"], org_a),
        title="Klantreis",
        cells=["KP1"],
        start_on=TODAY - dt.timedelta(days=10),
        due_on=TODAY - dt.timedelta(days=1),
        status="in_progress",
    )
    cycle.action_progress(
        action=action,
        access=access_for(people["workgroup_a"], action.organisation),
        note="Eerste sessie",
        files=[SimpleUploadedFile("verslag.txt", b"verslag", content_type="text/plain")],
    )
    cycle.reminders_send(TODAY)
    cycle.schedule_set(organisation=org_a, interval_months=12, next_due_on=TODAY)
    cycle.measures_import(
        organisation=org_a,
        filename="m.csv",
        content=b"source,measure,period,period_end,value\nAedes,repairs,2026-K1,2026-03-31,7.4\n",
    )
    services.round_set_status(scan_round=scan_round, status=RoundStatus.CLOSED, user=consultant)
    director = people["director_a"]
    review = cycle.review_for(scan_round)
    review = cycle.review_save_summary(
        scan_round=scan_round,
        access=access_for(consultant, scan_round.organisation),
        summary="Samenvatting",
        revision=1,
        final=True,
    )
    cycle.review_sign_off(
        scan_round=scan_round,
        access=access_for(director, scan_round.organisation),
        comment="",
        revision=review.revision,
    )
    cycle.review_withdraw(
        scan_round=scan_round,
        access=access_for(director, scan_round.organisation),
        reason="Telfout",
    )
    review = cycle.review_for(scan_round)
    cycle.review_sign_off(
        scan_round=scan_round,
        access=access_for(director, scan_round.organisation),
        comment="",
        revision=review.revision,
    )
    ReportJob.objects.create(
        round=scan_round, requested_by=director, pack=ContentFile(b"%PDF-1", name="board-pack.pdf")
    )
    MailTemplate.objects.create(
        organisation=org_a,
        kind="invitation",
        group_kind="tenants",
        language="nl",
        subject="Uw mening",
        body="Beste {name}, {link}",
    )
    _pulse(org_a)
    # Signing in through the corporation's own identity provider (its secret is not stored).
    from sso.models import IdentityProvider

    IdentityProvider.objects.create(
        organisation=org_a,
        issuer="https://login.microsoftonline.com/tenant/v2.0",
        client_id="client",
        secret_variable="KLANTRAAT_OIDC_SECRET_ALFA",
        email_domains="alfa.nl",
    )
    return org_a


def _pulse(organisation) -> None:
    """A customer moment with its questionnaire, a partner, an event with contact and
    invitation, a low grade with a call-back request, and an ingest token."""
    from pulse import services as pulse
    from pulse.links import link_token

    moments = pulse.moments_install_defaults(organisation=organisation)
    pulse.card_link_create(moment=moments[0])
    pulse.ingest_token_create(organisation=organisation, name="Onderhoudssysteem")
    items = [
        pulse.EventInput(
            source_id=f"WO-{n}",
            moment="reparatie",
            occurred_on=(TODAY - dt.timedelta(days=3)).isoformat(),
            partner="Bouwbedrijf Jansen",
            area="Complex 12",
            email=f"huurder{n}@example.nl",
            phone="",
        )
        for n in (1, 2)
    ]
    events = pulse.events_ingest(organisation=organisation, items=items).events
    pulse.response_submit(
        token=link_token(events[0].invitation.link_nonce),
        grade=4,
        drivers={},
        effort=3,
        open_answer="Drie keer teruggekomen",
        call_back=True,
    )


def test_every_model_of_an_organisation_survives_backup_delete_restore(
    tmp_path, full_organisation, round_b
):
    models = organisation_models()
    group_model = apps.get_model("actions", "WorkingGroup")
    members = sorted(
        group_model.objects.get(organisation=full_organisation).members.values_list(
            "email", flat=True
        )
    )
    before = {m: rows(m, lookup, full_organisation.pk) for m, lookup in models.items()}
    empty = sorted(m._meta.label for m, r in before.items() if not r)
    # A new model without data here fails too: add it to the fixture above.
    assert not empty, f"the fixture has no rows of {empty}"
    path = tmp_path / "alfa.json"
    call_command("backup_organisation", str(path), organisation="alfa")
    other = {m: rows(m, lookup, round_b.organisation_id) for m, lookup in models.items()}
    Organisation.objects.filter(pk=full_organisation.pk).delete()
    for model, lookup in models.items():
        assert not rows(model, lookup, full_organisation.pk), model._meta.label
    call_command("backup_organisation", str(path), restore=True)
    for model, lookup in models.items():
        assert rows(model, lookup, full_organisation.pk) == before[model], model._meta.label
        assert rows(model, lookup, round_b.organisation_id) == other[model], model._meta.label
    group = group_model.objects.get(organisation=full_organisation)
    assert sorted(group.members.values_list("email", flat=True)) == members
    assert "workgroup-a@example.org" in members


def test_backup_holds_no_password_hashes_and_restores_accounts_without_one(
    tmp_path, full_organisation
):
    from cms.models import User

    text = export_organisation(full_organisation)
    assert "password" not in text and "md5$" not in text and "is_superuser" not in text
    accounts = [i for i in json.loads(text) if i["model"] == "cms.user"]
    assert {a["fields"]["email"] for a in accounts} >= {"director-a@example.org"}
    path = tmp_path / "alfa.json"
    path.write_text(text, encoding="utf-8")
    Organisation.objects.filter(pk=full_organisation.pk).delete()
    User.objects.filter(email="director-a@example.org").delete()
    kept = User.objects.get(email="coordinator-a@example.org")
    call_command("backup_organisation", str(path), restore=True)
    restored = User.objects.get(email="director-a@example.org")
    assert not restored.has_usable_password() and not restored.is_superuser
    assert restored.memberships.get().role == "director"
    assert User.objects.get(email="coordinator-a@example.org").password == kept.password


def test_a_broken_backup_changes_nothing(tmp_path, full_organisation):
    from cms.models import User

    items = json.loads(export_organisation(full_organisation))
    Organisation.objects.filter(pk=full_organisation.pk).delete()
    User.objects.filter(email="director-a@example.org").delete()
    users = User.objects.count()
    answer = next(i for i in items if i["model"] == "scan.answer")
    answer["fields"]["respondent"] = 999999  # points nowhere: found only near the end
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("backup_organisation", str(path), restore=True)
    assert not Organisation.objects.filter(slug="alfa").exists()
    assert User.objects.count() == users  # no account created either


def test_restoring_over_an_existing_organisation_is_refused(tmp_path, full_organisation):
    path = tmp_path / "alfa.json"
    call_command("backup_organisation", str(path), organisation="alfa")
    with pytest.raises(CommandError, match="bestaat al|already exists"):
        call_command("backup_organisation", str(path), restore=True)
