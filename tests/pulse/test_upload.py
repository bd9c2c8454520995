"""The pulse upload reads its file with the shared table reader and keeps its own messages."""

import pytest
from django.utils import timezone, translation

from core.tabular import ImportRejected
from pulse import services
from pulse.models import Contact, PulseEvent

pytestmark = pytest.mark.django_db


def _import(org, text: str):
    return services.events_import_file(
        organisation=org, filename="moments.csv", content=text.encode("utf-8")
    )


def test_the_header_is_found_below_a_title_and_a_total_row_ends_the_table(org_a, moments):
    day = timezone.localdate().isoformat()
    report = _import(
        org_a,
        "Gereedmeldingen november;;;\n"
        ";;;\n"
        "Werkorder;Klantmoment;Datum gereed;Mobiel\n"
        f"WO-1;Reparatie;{day};+31 6 1234 5678\n"
        "Totaal: 1;;;\n",
    )
    assert report.created == 1
    assert PulseEvent.objects.get(organisation=org_a).source_id == "WO-1"
    assert Contact.objects.get().phone.startswith("+31")


def test_missing_columns_are_named_on_the_header_row(org_a, moments):
    with translation.override("en"), pytest.raises(ImportRejected) as refused:
        _import(org_a, "Overzicht\n\nWerkorder;Aannemer\nWO-1;Jansen\n")
    assert refused.value.errors == ["Row 3: the header misses the columns moment, occurred_on."]
    with translation.override("nl"), pytest.raises(ImportRejected) as refused:
        _import(org_a, "Werkorder;Aannemer\nWO-1;Jansen\n")
    assert refused.value.errors == [
        "Rij 1: in de kopregel ontbreken de kolommen moment, occurred_on."
    ]
    assert not PulseEvent.objects.exists()


def test_rows_keep_their_spreadsheet_numbers_in_the_problems(org_a, moments):
    day = timezone.localdate().isoformat()
    with translation.override("en"), pytest.raises(ImportRejected) as refused:
        _import(
            org_a,
            f"Export\nid;moment;datum;e-mail\nA;reparatie;{day};a@example.nl\n\nB;reparatie;morgen;b@example.nl\n",
        )
    assert any(e.startswith("Row 5: field date") for e in refused.value.errors)
    assert not PulseEvent.objects.exists()
