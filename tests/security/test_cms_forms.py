"""A CMS form posted without its management fields (a cut-off request, a hand-made POST) is
answered with the form and an error, never a server error."""

import pytest

from scan.models import MaturityModel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "streams",
    [
        {},  # no levels-count, no domains-count
        {"levels-count": "5", "domains-count": "1"},  # counts without the blocks they count
        {"levels-count": "vijf", "domains-count": "1"},
    ],
)
def test_a_model_edit_without_management_fields_shows_the_form_with_an_error(
    admin_client, version, streams
):
    model = MaturityModel.objects.get(pk=version.model.pk)
    url = f"/cms/snippets/scan/maturitymodel/edit/{model.pk}/"
    data = {"code": model.code, "name_nl": "Gewijzigd", "name_en": "Changed", **streams}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Het formulier kwam onvolledig aan" in response.content.decode()
    model.refresh_from_db()
    assert model.name_nl != "Gewijzigd" and len(model.levels) == 5
