"""Migration 0008 moves rendered packs out of the database column into the private storage,
byte for byte, and 0009 drops the column."""

from pathlib import Path

import pytest

from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("honeycomb", "0007_release_overall_score")]


def test_packs_in_the_column_move_to_the_private_storage(round_a, settings):
    old_apps = migrate(BEFORE)
    try:
        OldJob = old_apps.get_model("honeycomb", "ReportJob")
        ready = OldJob.objects.create(
            round_id=round_a.pk, status="ready", kind="pptx", file=b"PK\x03\x04deck"
        )
        waiting = OldJob.objects.create(round_id=round_a.pk, status="queued")
    finally:
        new_apps = migrate()  # through 0009
    NewJob = new_apps.get_model("honeycomb", "ReportJob")
    moved = NewJob.objects.get(pk=ready.pk)
    assert moved.pack.name.startswith(f"reports/{round_a.organisation_id}/")
    assert moved.pack.name.endswith("board-pack.pptx")
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / moved.pack.name).read_bytes() == b"PK\x03\x04deck"
    assert NewJob.objects.get(pk=waiting.pk).pack.name == ""
    assert "file" not in {f.name for f in NewJob._meta.get_fields()}
