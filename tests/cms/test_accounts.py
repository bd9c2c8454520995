import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from core.models import OutgoingMail
from scan.models import MailKind
from tests import factories

pytestmark = pytest.mark.django_db


def test_login_with_email_and_start_page_lists_organisations(client, people, org_a, org_b):
    user = people["director_a"]
    response = client.post(
        reverse("cms:login"), {"username": user.email.upper(), "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("cms:start")
    page = client.get(reverse("cms:start")).content.decode()
    assert org_a.name in page and org_b.name not in page


def test_wrong_login_does_not_reveal_whether_account_exists(client, people):
    known = client.post(
        reverse("cms:login"), {"username": people["director_a"].email, "password": "wrong"}
    )
    unknown = client.post(
        reverse("cms:login"), {"username": "nobody@example.org", "password": "wrong"}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_password_reset_mails_only_existing_accounts_with_same_response(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # mails leave after commit
        a = client.post(reverse("cms:password_reset"), {"email": people["director_a"].email})
        b = client.post(reverse("cms:password_reset"), {"email": "nobody@example.org"})
    assert a.status_code == b.status_code == 302 and a.url == b.url
    assert len(mail.outbox) == 1 and "/password/reset/" in mail.outbox[0].body


@pytest.mark.parametrize("form_url", ["/password/reset/", "/cms/password_reset/"])
def test_a_reset_mail_leaves_through_the_outbox_and_its_link_is_never_stored(
    client, people, django_capture_on_commit_callbacks, form_url
):
    user = people["consultant_a"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, {"email": user.email})
    [queued] = OutgoingMail.objects.filter(kind=MailKind.ACCOUNT, recipient=user.email)
    [sent] = mail.outbox
    link = re.search(r"https?://\S+/(?:password/reset|password_reset/confirm)/\S+", sent.body)
    assert link and queued.sent_at is not None
    token = link.group(0).rstrip("/").split("/")[-1]
    assert default_token_generator.check_token(user, token)
    assert token not in queued.body + queued.subject  # the stored text holds only a mark
    page = client.get(link.group(0), follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()


def test_start_requires_login(client):
    response = client.get(reverse("cms:start"))
    assert response.status_code == 302 and "/login/" in response.url


def test_directors_and_workgroup_members_cannot_open_the_cms(client, people):
    for key in ("director_a", "workgroup_a", "coordinator_a"):
        client.force_login(people[key])
        assert client.get("/cms/").status_code == 302  # sent to the CMS login
    client.force_login(people["consultant_a"])
    assert client.get("/cms/").status_code == 200


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
