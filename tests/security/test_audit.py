import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services as cycle
from core.models import AuditEvent, Membership
from core.permissions import access_for
from honeycomb.services import api_token_create, api_token_revoke
from scan import services
from tests import factories

pytestmark = pytest.mark.django_db


def kinds(org):
    return list(AuditEvent.objects.filter(organisation=org).values_list("kind", flat=True))


def test_security_events_are_logged_and_readable_by_members_only(client, people, org_a, round_a):
    client.post(
        reverse("cms:login"),
        {"username": people["director_a"].email, "password": factories.PASSWORD},
    )
    client.logout()
    client.post(reverse("cms:login"), {"username": people["director_a"].email, "password": "wrong"})
    respondent = factories.respondent(round_a)
    services.respondent_revoke_links(respondent=respondent, user=people["coordinator_a"])
    Membership.objects.filter(user=people["workgroup_a"]).update(
        role="director"
    )  # bypasses signals: not logged
    membership = Membership.objects.get(user=people["coordinator_a"], organisation=org_a)
    membership.role = "workgroup"
    membership.save()
    factories.release(round_a)  # an Excel export needs published figures
    client.force_login(people["director_a"])
    client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": round_a.pk}))
    token, _raw = api_token_create(user=people["director_a"], name="BI")
    api_token_revoke(user=people["director_a"], token_id=token.pk)
    assert {"link_revoked", "role_change", "export"} <= set(kinds(org_a))
    assert AuditEvent.objects.filter(kind="login", actor=people["director_a"]).exists()
    assert AuditEvent.objects.filter(
        kind="login_failed", detail__email=people["director_a"].email
    ).exists()
    assert AuditEvent.objects.filter(kind="token_revoked", actor=people["director_a"]).exists()
    page = client.get(reverse("scan:audit_log", kwargs={"org": "alfa"}))
    # Readable labels and sentences, never the stored codes.
    text = page.content.decode()
    assert page.status_code == 200 and "Respondentlinks ingetrokken" in text
    assert "link_revoked" not in text and "role: workgroup" not in text
    client.force_login(people["director_b"])
    assert client.get(reverse("scan:audit_log", kwargs={"org": "alfa"})).status_code == 404


def test_sign_off_is_logged_and_events_cannot_be_changed(people, org_a, version):
    from tests.actions.conftest import answer_round

    scan_round = factories.scan_round(org_a, version=version)
    answer_round(scan_round, "staff", 5, 3)
    factories.release(scan_round)
    review = cycle.review_for(scan_round)
    review = cycle.review_save_summary(
        scan_round=scan_round,
        access=access_for(people["consultant_a"], scan_round.organisation),
        summary="Klaar",
        revision=review.revision,
        final=True,
    )
    cycle.review_sign_off(
        scan_round=scan_round,
        access=access_for(people["director_a"], scan_round.organisation),
        comment="",
        revision=review.revision,
    )
    event = AuditEvent.objects.get(kind="sign_off")
    event.kind = "nothing"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).kind == "sign_off"
