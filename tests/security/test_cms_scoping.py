"""In the CMS a consultant meets only the organisations they serve and their people: the
membership choosers, the membership filter and the mail texts never show another client."""

import pytest

from core.models import Membership
from scan.models import MailTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(org_a, org_b):
    def text(org):
        return MailTemplate.objects.create(
            organisation=org,
            kind="invitation",
            language="nl",
            subject=f"Uitnodiging {org.slug}",
            body="Beste {name}, {link}",
        )

    return text(org_a), text(org_b)


def test_the_membership_form_offers_only_served_organisations_and_their_people(
    client, people, org_a
):
    client.force_login(people["consultant_b"])
    page = client.get("/cms/snippets/core/membership/add/")
    assert page.status_code == 200
    form = page.context["form"]
    assert {o.slug for o in form.fields["organisation"].queryset} == {"beta"}
    emails = {u.email for u in form.fields["user"].queryset}
    assert "director-b@example.org" in emails and "director-a@example.org" not in emails
    html = page.content.decode()
    assert "director-a@example.org" not in html and "Woonstichting Alfa" not in html


def test_the_membership_list_has_no_filter_naming_other_clients(client, people, org_a):
    client.force_login(people["consultant_b"])
    html = client.get("/cms/snippets/core/membership/").content.decode()
    assert "Woonstichting Alfa" not in html and "director-a@example.org" not in html


def test_mail_texts_of_another_client_are_neither_listed_nor_editable(client, people, texts):
    text_a, text_b = texts
    client.force_login(people["consultant_b"])
    listing = client.get("/cms/snippets/scan/mailtemplate/").content.decode()
    assert "Uitnodiging beta" in listing and "Uitnodiging alfa" not in listing
    assert client.get(f"/cms/snippets/scan/mailtemplate/edit/{text_a.pk}/").status_code == 404
    assert client.get(f"/cms/snippets/scan/mailtemplate/edit/{text_b.pk}/").status_code == 200


def test_a_superuser_still_sees_everything(admin_client, people, org_a, texts):
    assert Membership.objects.filter(organisation=org_a).exists()
    html = admin_client.get("/cms/snippets/scan/mailtemplate/").content.decode()
    assert "Uitnodiging alfa" in html and "Uitnodiging beta" in html
