"""On the demo data (scores close together, 2,9–3,7) a board sees the differences: the
honeycomb has several fills, no chart text under 12 px at 1280 px, and a phone gets the
cells ranked with their figures."""

import pytest

from scan.models import ScanRound

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

CHART_TEXT = """
() => {
  const root = document.querySelector('#honeycomb-chart');
  const fills = new Set([...root.querySelectorAll('.layer-below .shapelayer path, .shapelayer path')]
    .map((p) => getComputedStyle(p).fill).filter((f) => f && f !== 'none'));
  const texts = [...root.querySelectorAll('svg text')]
    .filter((t) => t.textContent.trim() && !t.closest('.hoverlayer'))
    .map((t) => ({text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize)}));
  return {fills: [...fills], texts};
}
"""


@pytest.fixture
def demo(db):
    from cms.demo import DEMO_PASSWORD, load_demo

    load_demo()
    scan_round = ScanRound.objects.get(title="Herhaalmeting klantgerichtheid")
    return scan_round, DEMO_PASSWORD


def test_the_demo_honeycomb_separates_close_scores_in_readable_text(live_server, new_page, demo):
    scan_round, password = demo
    url = f"{live_server.url}/org/{scan_round.organisation.slug}/rounds/{scan_round.pk}/results/"
    page = new_page(width=1280, height=900)
    login(page, live_server, "directeur@delinde.nl", password)
    page.goto(url)
    page.wait_for_selector("#honeycomb-chart[data-fitted]")
    found = page.evaluate(CHART_TEXT)
    assert len(found["fills"]) >= 4, found["fills"]
    small = [t for t in found["texts"] if t["size"] < 12]
    assert not small, small
    assert page.locator(".ranked-cells").is_hidden()  # the honeycomb names the cells itself

    phone = new_page(width=375, height=800)
    login(phone, live_server, "directeur@delinde.nl", password)
    phone.goto(url)
    ranked = phone.locator(".ranked-list li")
    assert phone.locator(".ranked-cells").is_visible()
    assert ranked.count() == 15
    first = ranked.first.inner_text()
    assert "3,7" in first and "ambitie 4" in first  # the highest score first, with its ambition
