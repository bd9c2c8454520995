"""The review keeps its sign-off history: who signed when, who withdrew when and why, and each
earlier signed version readable as it was frozen, for everyone who reads the review."""

import pytest
from django.urls import reverse

from actions import services
from core.permissions import access_for
from tests import factories
from tests.honeycomb.test_results import forced_answers

from .test_sign_off import sign

pytestmark = pytest.mark.django_db


def withdraw(scan_round, people, reason):
    return services.review_withdraw(
        scan_round=scan_round,
        access=access_for(people["director_a"], scan_round.organisation),
        reason=reason,
    )


def review_url(scan_round) -> str:
    return reverse("review:round", kwargs={"org": "alfa", "pk": scan_round.pk})


@pytest.mark.parametrize("who", ["director_a", "consultant_a", "coordinator_a", "workgroup_a"])
def test_the_history_names_each_sign_off_and_withdrawal(client, people, closed_round, who):
    people["director_a"].first_name, people["director_a"].last_name = "Dirk", "Bestuur"
    people["director_a"].save()
    sign(closed_round, people, summary="Eerste versie")
    first = withdraw(closed_round, people, "Cijfers van team Noord ontbraken")
    forced_answers(closed_round, "staff", 5, 4)  # the round changes after the withdrawal
    factories.release(closed_round)
    sign(closed_round, people, summary="Tweede versie")
    client.force_login(people[who])
    page = client.get(review_url(closed_round)).content.decode()
    history = page[page.index('id="sign-off-history"') :]
    assert history.count("Afgetekend door Dirk Bestuur op") == 2
    assert "Ingetrokken door Dirk Bestuur op" in history
    assert "Cijfers van team Noord ontbraken" in history
    assert "Akkoord" in history and "Van kracht" in history
    version_url = reverse(
        "review:signed_version", kwargs={"org": "alfa", "pk": closed_round.pk, "version": first.pk}
    )
    assert version_url in history
    version = client.get(version_url)
    assert version.status_code == 200
    html = version.content.decode()
    assert "Eerste versie" in html and "Tweede versie" not in html
    assert "Cijfers van team Noord ontbraken" in html
    signed_kp1 = next(c for c in version.context["cells"] if c.code == "KP1")
    live = client.get(review_url(closed_round))
    now_kp1 = next(c for c in live.context["cells"] if c.code == "KP1")
    assert signed_kp1.score == 2.0 and now_kp1.score != signed_kp1.score


def test_a_round_without_withdrawals_shows_its_sign_off_in_force_only(client, people, closed_round):
    client.force_login(people["director_a"])
    assert 'id="sign-off-history"' not in client.get(review_url(closed_round)).content.decode()
    sign(closed_round, people)
    page = client.get(review_url(closed_round)).content.decode()
    assert 'id="sign-off-history"' in page and "Ingetrokken" not in page


def test_a_version_of_another_round_or_organisation_is_not_found(
    client, people, closed_round, org_b, version
):
    from tests import factories

    sign(closed_round, people)
    first = withdraw(closed_round, people, "Te vroeg")
    other = factories.scan_round(closed_round.organisation, version=version, status="closed")
    client.force_login(people["director_a"])
    for pk, number in ((other.pk, first.pk), (closed_round.pk, first.pk + 1), (closed_round.pk, 0)):
        url = reverse("review:signed_version", kwargs={"org": "alfa", "pk": pk, "version": number})
        assert client.get(url).status_code == 404
    client.force_login(people["director_b"])
    url = reverse(
        "review:signed_version", kwargs={"org": "alfa", "pk": closed_round.pk, "version": first.pk}
    )
    assert client.get(url).status_code == 404
