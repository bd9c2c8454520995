"""External measures on the dashboard: one trend chart per measure and source with the
sector average where the import gave one, and the table as the accessible alternative."""

import json
import re

import pytest
from django.urls import reverse

from actions import services
from actions.models import ExternalMeasure
from scan.services import ImportRejected

pytestmark = pytest.mark.django_db

ROWS = (
    "bron;meting;periode;einddatum;waarde;sectorgemiddelde\n"
    "Aedes;reparaties;2025-K2;2025-06-30;6,6;7,3\n"
    "Aedes;reparaties;2025-K4;2025-12-31;6,9;7,3\n"
    "Aedes;reparaties;2026-K2;2026-06-30;7,3;7,4\n"
    "Aedes;betrekken;2025-K4;2025-12-31;7,2;\n"
    "Aedes;betrekken;2026-K2;2026-06-30;7,4;\n"
)


def test_the_sector_average_is_an_optional_column_of_the_import(org_a):
    count = services.measures_import(organisation=org_a, filename="m.csv", content=ROWS.encode())
    assert count == 5
    repairs = ExternalMeasure.objects.get(kind="repairs", period="2026-K2")
    assert float(repairs.sector_average) == 7.4
    assert ExternalMeasure.objects.get(kind="moving_in", period="2026-K2").sector_average is None
    bad = (
        "bron;meting;periode;einddatum;waarde;sectorgemiddelde\n"
        "Aedes;reparaties;2026-K3;2026-09-30;7,5;hoog\n"
        "Aedes;reparaties;2026-K4;2026-12-31;7,5;12\n"
    )
    with pytest.raises(ImportRejected) as exc:
        services.measures_import(organisation=org_a, filename="m.csv", content=bad.encode())
    assert [e.split(":")[0] for e in exc.value.errors] == ["Rij 2", "Rij 3"]  # Dutch by default
    assert all("0–10" in e for e in exc.value.errors)
    assert ExternalMeasure.objects.count() == 5  # nothing of the refused file


def test_the_dashboard_draws_each_measure_over_time_with_its_source(client, people, org_a):
    services.measures_import(organisation=org_a, filename="m.csv", content=ROWS.encode())
    client.force_login(people["director_a"])
    page = client.get(reverse("actions:dashboard", kwargs={"org": "alfa"}))
    html = page.content.decode()
    assert page.status_code == 200
    figures = {
        match.group(1): json.loads(match.group(2))
        for match in re.finditer(
            r'<script type="application/json" id="(measure-chart-\d+)-data">(.*?)</script>', html
        )
    }
    assert len(figures) == 2  # moving in and repairs, each from one source
    by_title = {f["layout"]["title"]["text"]: f for f in figures.values()}
    repairs = next(f for title, f in by_title.items() if "Reparaties" in title)
    assert "Aedes" in next(t for t in by_title if "Reparaties" in t)  # the source is named
    own, sector = repairs["data"]
    assert own["x"] == ["2025-K2", "2025-K4", "2026-K2"] and own["y"] == [6.6, 6.9, 7.3]
    assert sector["y"] == [7.3, 7.3, 7.4] and sector["line"]["dash"] == "dash"
    moving_in = next(f for title, f in by_title.items() if "betrekken" in title.lower())
    assert len(moving_in["data"]) == 1  # no sector average known: no line for it
    # The table stays, folded under the charts, with the sector average where known.
    table = html[html.index("<details") : html.index("</details>")]
    assert "Sectorgemiddelde" in table or "Sector average" in table
    assert "7,4" in table and "6,6" in table
    assert " style=" not in html[html.index('id="measures-title"') :]


def test_an_english_dashboard_names_the_quarters_in_english(client, people, org_a):
    from django.utils import translation

    services.measures_import(organisation=org_a, filename="m.csv", content=ROWS.encode())
    client.force_login(people["director_a"])
    with translation.override("en"):
        html = client.get(reverse("actions:dashboard", kwargs={"org": "alfa"})).content.decode()
    assert "2025-Q2" in html and "2026-Q2" in html  # chart and table alike
    assert "2025-K2" not in html
