"""Model import/export in the CMS and the consultant's automatic assignment."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Membership
from scan.models import MaturityModel
from tests.model_document import document

pytestmark = pytest.mark.django_db


def test_import_creates_a_draft_and_export_round_trips(client, people):
    client.force_login(people["consultant_a"])
    upload = SimpleUploadedFile(
        "model.yaml", yaml.safe_dump(document(), allow_unicode=True).encode()
    )
    response = client.post(reverse("klantraat_model_import"), {"file": upload})
    assert response.status_code == 302
    model = MaturityModel.objects.get(code="testmodel")
    assert not model.live and not model.versions.exists()
    exported = client.get(reverse("klantraat_model_export", args=[model.pk, "json"]))
    assert exported.status_code == 200
    assert yaml.safe_load(exported.content) == document()


def test_import_of_a_broken_file_lists_errors_and_changes_nothing(client, people):
    client.force_login(people["consultant_a"])
    doc = document()
    doc["domains"][0]["cells"][0]["statements"][0]["code"] = "KP2.1"
    upload = SimpleUploadedFile("model.yaml", yaml.safe_dump(doc).encode())
    response = client.post(reverse("klantraat_model_import"), {"file": upload})
    assert response.status_code == 400
    assert "komt twee keer voor" in response.content.decode()
    assert not MaturityModel.objects.exists()


def test_non_staff_cannot_import_or_export(client, people, version):
    client.force_login(people["director_a"])
    assert client.get(reverse("klantraat_model_import")).status_code == 302
    assert (
        client.get(reverse("klantraat_model_export", args=[version.model.pk, "yaml"])).status_code
        == 302
    )


def test_consultant_creating_an_organisation_is_assigned(client, people):
    consultant = people["consultant_a"]
    client.force_login(consultant)
    response = client.post(
        reverse("wagtailsnippets_core_organisation:add"),
        {"name": "Nieuw", "slug": "nieuw", "city": ""},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=consultant, organisation__slug="nieuw", role="consultant"
    ).exists()
