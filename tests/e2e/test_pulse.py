"""The tenant pulse end to end: a coordinator uploads a month of repairs, invitations go out,
a tenant answers on a phone through the SMS link with a low grade and asks to be called back,
the contract partner logs in to its scorecard, and the call-back waits for the corporation."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from pulse import services
from pulse.models import CallBack, ContractPartner, PulseEvent, PulseResponse
from pulse.sms import LocmemSmsBackend
from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "reparaties_oktober.csv"
DATE = re.compile(r"\d{2}-\d{2}-\d{4}")


def _this_month(tmp_path: Path) -> Path:
    """The October export with its dates moved so the last repair was three days ago (events
    must lie within the past year); BOM, semicolons and CRLF kept."""
    text = EXPORT.read_bytes().decode("utf-8-sig")

    def parse(value: str) -> dt.date:
        return dt.datetime.strptime(value, "%d-%m-%Y").date()  # noqa: DTZ007

    shift = timezone.localdate() - dt.timedelta(days=3) - max(map(parse, DATE.findall(text)))
    moved = DATE.sub(lambda m: (parse(m.group(0)) + shift).strftime("%d-%m-%Y"), text)
    path = tmp_path / EXPORT.name
    path.write_bytes(moved.encode("utf-8-sig"))
    return path


def test_from_upload_to_call_back(live_server, new_page, org_a, settings, tmp_path):
    settings.KLANTRAAT_BASE_URL = live_server.url
    LocmemSmsBackend.outbox.clear()
    services.moments_install_defaults(organisation=org_a)
    coordinator = factories.member(org_a, "coordinator", email="coordinator@alfa.example")

    # A coordinator uploads the month's repairs.
    desk = new_page()
    login(desk, live_server, coordinator.email, factories.PASSWORD)
    desk.goto(f"{live_server.url}/org/{org_a.slug}/pulse/")
    desk.get_by_role("link", name="Klantmomenten uploaden").click()
    desk.set_input_files("#id_file", str(_this_month(tmp_path)))
    desk.get_by_role("button", name="Uploaden").click()
    success = desk.locator(".message-success")
    assert "18" in success.inner_text() and "1 overgeslagen" in success.inner_text()
    assert PulseEvent.objects.filter(organisation=org_a).count() == 18

    # Beat's sweep sends what is due: by e-mail, or by SMS when only a mobile number is known.
    sent = services.invitations_send_due(now=timezone.now())
    assert sent["queued"] == 17
    assert len(mail.outbox) == 13 and len(LocmemSmsBackend.outbox) == 4
    [sms] = [m for m in LocmemSmsBackend.outbox if m["to"] == "0612345678"]
    link = re.search(r"https?://\S+", sms["text"]).group(0)

    # The tenant answers on a phone: a 4, not fixed the first time, please call me.
    phone = new_page(width=375, height=740)
    phone.goto(link)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("label.grade-option", has=phone.locator("input[value='4']")).click()
    phone.locator(
        "label.choice-option", has=phone.locator("input[name=driver_eerste_keer_goed][value=no]")
    ).click()
    phone.fill("textarea", "De lekkage kwam na een week terug.")
    phone.check("input[name=call_back]")
    phone.get_by_role("button", name="Verstuur mijn antwoorden").click()
    phone.get_by_role("heading", name="Bedankt voor je antwoorden").wait_for()
    response = PulseResponse.objects.get()
    assert response.grade == 4 and response.partner.name == "Bouwbedrijf Jansen"

    # The call-back reaches the handler by mail: what and by when, a link, no contact details.
    [notice] = [m for m in mail.outbox if m.subject.startswith("Terugbelverzoek")]
    assert notice.to == [coordinator.email] and "cijfer 4" in notice.subject
    assert "0612345678" not in notice.body
    pulse_link = re.search(r"https?://\S+#call-backs", notice.body).group(0)

    # The partner logs in and lands on its own scorecard (too few answers for a figure yet).
    jansen = ContractPartner.objects.get(organisation=org_a, code="bouwbedrijf-jansen")
    planner = factories.UserFactory(email="planner@bouwbedrijfjansen.nl")
    jansen.users.add(planner)
    partner = new_page()
    partner.goto(f"{live_server.url}/login/")
    partner.fill("#id_username", planner.email)
    partner.fill("#id_password", factories.PASSWORD)
    partner.click("main button[type=submit]")
    partner.wait_for_url(f"**/org/{org_a.slug}/pulse/partners/{jansen.code}/")
    assert partner.get_by_role("heading", level=1).inner_text() == "Scorekaart Bouwbedrijf Jansen"
    assert "te weinig reacties" in partner.locator("main").inner_text()
    assert "Installatietechniek Noord" not in partner.locator("main").inner_text()
    assert "0612345678" not in partner.content()  # the consent was for the corporation

    # The low grade with consent is a call-back task for the corporation.
    call_back = CallBack.objects.get()
    assert call_back.phone == "0612345678"
    desk.goto(f"{live_server.url}/org/{org_a.slug}/cycle/dashboard/")
    assert "1 huurder vroeg om terugbellen" in desk.locator("main").inner_text()
    desk.goto(pulse_link)
    call_backs = desk.locator("li.card", has_text="0612345678")
    assert "rapportcijfer 4" in call_backs.inner_text()
    assert "De lekkage kwam na een week terug." in call_backs.inner_text()
    assert call_backs.get_by_role("link", name="Bel 0612345678").get_attribute("href") == (
        "tel:0612345678"
    )
    # The list is on top of the page, in view without scrolling far.
    assert call_backs.bounding_box()["y"] < 900

    # The handler takes it on, calls, and closes it with what was agreed.
    call_backs.get_by_label("Eigenaar").select_option(label=coordinator.get_full_name())
    call_backs.get_by_role("button", name="Eigenaar opslaan").click()
    assert "Eigenaar van het terugbelverzoek opgeslagen" in desk.locator(".messages").inner_text()
    call_back.refresh_from_db()
    assert call_back.owner == coordinator
    card = desk.locator("li.card", has_text="0612345678")
    card.get_by_label("Uitkomst: wat is er afgesproken").fill("Monteur komt donderdag terug.")
    card.get_by_role("button", name="Afsluiten met deze uitkomst").click()
    assert "contactgegevens van de huurder zijn gewist" in desk.locator(".messages").inner_text()
    closed = desk.locator("#closed-call-backs")
    assert "Monteur komt donderdag terug." in closed.inner_text()
    assert "0612345678" not in desk.content()
    call_back.refresh_from_db()
    assert (call_back.status, call_back.phone, call_back.owner) == ("done", "", coordinator)
