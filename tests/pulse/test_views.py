import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from pulse import services
from pulse.models import CallBack, ContractPartner, PulseEvent, PulseResponse
from tests.factories import PASSWORD

from .conftest import event, token_of

pytestmark = pytest.mark.django_db

CSV = (
    "\ufeffWerkordernummer;Klantmoment;Gereed;Aannemer;Complex;E-mailadres;Telefoon\r\n"
    "WO-1;Reparatie;{d};Bouwbedrijf Jansen;Complex 12;jan@example.nl;\r\n"
    ";;;;;;\r\n"
    "WO-2;reparatie;{d};Installatiebedrijf Özkan;Wijk Noord;;06 1234 5678\r\n"
)


def upload(client, org, content: str, name="moments.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("pulse:events_upload", kwargs={"org": org.slug}),
        {"file": SimpleUploadedFile(name, content.encode("utf-8"))},
    )


def test_coordinator_uploads_a_dutch_export(client, people, org_a, moments):
    client.force_login(people["coordinator_a"])
    day = (timezone.localdate() - dt.timedelta(days=2)).strftime("%d-%m-%Y")
    response = upload(client, org_a, CSV.format(d=day))
    assert response.status_code == 302
    assert PulseEvent.objects.filter(organisation=org_a).count() == 2
    assert set(ContractPartner.objects.values_list("name", flat=True)) == {
        "Bouwbedrijf Jansen",
        "Installatiebedrijf Özkan",
    }


def test_a_bad_file_lists_every_row_by_its_spreadsheet_number(client, people, org_a, moments):
    client.force_login(people["coordinator_a"])
    day = timezone.localdate().isoformat()
    bad = (
        "id;moment;datum;e-mail\n"
        f"A;reparatie;{day};a@example.nl\n"
        "\n"
        f"B;verhuizing;{day};b@example.nl\n"
        f"C;reparatie;morgen;c@example.nl\n"
    )
    response = upload(client, org_a, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Rij 4: veld moment" in text and "Rij 5: veld date" in text
    assert PulseEvent.objects.count() == 0


@pytest.mark.parametrize("role", ["workgroup", "director"])
def test_only_coordinators_and_consultants_upload(client, people, org_a, moments, role):
    client.force_login(people[f"{role}_a"])
    assert upload(client, org_a, CSV.format(d="01-01-2026")).status_code == 403


def test_other_organisations_see_nothing(client, people, org_a, moments):
    client.force_login(people["coordinator_b"])
    assert client.get(reverse("pulse:overview", kwargs={"org": org_a.slug})).status_code == 404


def test_tenant_answers_on_the_survey_page(client, org_a, moments):
    pulse_event = services.events_ingest(organisation=org_a, items=[event(1)]).events[0]
    url = reverse("pulse_public:survey", kwargs={"token": token_of(pulse_event)})
    page = client.get(url)
    assert page.status_code == 200 and "rapportcijfer" in page.content.decode()
    answered = client.post(
        url,
        {"grade": "4", "driver_eerste_keer_goed": "no", "effort": "4", "call_back": "on"},
    )
    assert answered.status_code == 200
    assert PulseResponse.objects.get().grade == 4
    call_back = CallBack.objects.get()
    # The thanks page confirms who will call and by when.
    with translation.override("nl"):
        by = date_format(call_back.deadline, "l j F")
    assert (
        f"iemand van {org_a.name} belt of mailt je uiterlijk op {by}" in answered.content.decode()
    )
    assert client.post(url, {"grade": "9"}).status_code == 410
    assert PulseResponse.objects.count() == 1


def test_tampered_survey_link(client):
    response = client.get(reverse("pulse_public:survey", kwargs={"token": "x" * 43}))
    assert response.status_code == 404


def _partner_login(partner, email):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    partner.users.add(user)
    return user


def test_partner_sees_its_own_scorecard_only(client, org_a, org_b, moments):
    services.events_ingest(
        organisation=org_a, items=[event(1), event(2, partner="Schilder De Vries")]
    )
    jansen = ContractPartner.objects.get(code="bouwbedrijf-jansen")
    devries = ContractPartner.objects.get(code="schilder-de-vries")
    user = _partner_login(jansen, "planner@jansen.nl")
    client.force_login(user)
    own = reverse("pulse:scorecard", kwargs={"org": org_a.slug, "code": jansen.code})
    assert client.get(reverse("pulse_public:partner_home")).url == own
    assert client.get(own).status_code == 200
    other = reverse("pulse:scorecard", kwargs={"org": org_a.slug, "code": devries.code})
    assert client.get(other).status_code == 404
    assert client.get(reverse("pulse:overview", kwargs={"org": org_a.slug})).status_code == 404
    assert client.get(reverse("scan:organisation", kwargs={"org": org_a.slug})).status_code == 404


def test_members_see_the_scorecard_but_not_other_organisations(client, people, org_a, moments):
    services.events_ingest(organisation=org_a, items=[event(1)])
    partner = ContractPartner.objects.get()
    url = reverse("pulse:scorecard", kwargs={"org": org_a.slug, "code": partner.code})
    client.force_login(people["director_a"])
    assert client.get(url).status_code == 200
    client.force_login(people["director_b"])
    assert client.get(url).status_code == 404


def test_figures_appear_only_from_the_threshold(client, people, org_a, moments):
    events = services.events_ingest(
        organisation=org_a, items=[event(n, email=f"t{n}@example.nl") for n in range(6)]
    ).events
    for pulse_event in events[:4]:
        services.response_submit(
            token=token_of(pulse_event),
            grade=3,
            drivers={},
            effort=None,
            open_answer="",
            call_back=False,
        )
    client.force_login(people["director_a"])
    url = reverse("pulse:overview", kwargs={"org": org_a.slug})
    assert "te weinig reacties" in client.get(url).content.decode()
    services.response_submit(
        token=token_of(events[4]), grade=9, drivers={}, effort=None, open_answer="", call_back=False
    )
    page = client.get(url).content.decode()
    assert "4,2" in page
    assert "basisproces niet op orde" in page
