"""Under the Content Security Policy every chart still draws and the browser reports no
violation: no inline script is left on the pages people use."""

import pytest

from tests import factories

from .conftest import login
from .test_accessibility import setting  # noqa: F401  (the same data as the axe-core checks)

pytestmark = pytest.mark.django_db(transaction=True)


def test_charts_draw_under_the_policy(live_server, new_page, setting, people):  # noqa: F811
    page = new_page(width=1280, height=900)
    page.set_default_timeout(60_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(page, live_server, people["director_a"].email, factories.PASSWORD)
    pk = setting["round"].pk
    charts = {
        f"/org/alfa/rounds/{pk}/results/": "#honeycomb-chart",
        f"/org/alfa/rounds/{pk}/results/compare/": ".plotly-graph-div",
        f"/org/alfa/rounds/{pk}/results/trend/": "#trend-chart",
        f"/org/alfa/rounds/{pk}/review/": "#honeycomb-chart",
    }
    for path, chart in charts.items():
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector(f"{chart} .main-svg")
    assert violations == []
