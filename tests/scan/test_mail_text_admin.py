import pytest

pytestmark = pytest.mark.django_db


def test_a_new_mail_text_starts_from_the_built_in_invitation(client, people):
    from scan.services import consultant_grant_cms_access

    consultant = people["consultant_a"]
    consultant_grant_cms_access(consultant)
    client.force_login(consultant)
    page = client.get("/cms/snippets/scan/mailtemplate/add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "{link}" in html and "waarvoor deze tekst is" in html
