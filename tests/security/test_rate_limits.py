import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from scan import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_account_locks_after_repeated_failures_with_the_same_message_for_unknown_accounts(
    client, people
):
    user = people["director_a"]
    for _ in range(5):
        client.post(reverse("cms:login"), {"username": user.email, "password": "wrong"})
    locked = client.post(
        reverse("cms:login"), {"username": user.email, "password": factories.PASSWORD}
    )
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    for _ in range(5):
        client.post(reverse("cms:login"), {"username": "ghost@example.org", "password": "wrong"})
    ghost = client.post(
        reverse("cms:login"), {"username": "ghost@example.org", "password": "wrong"}
    )
    assert locked.context["form"].non_field_errors() == ghost.context["form"].non_field_errors()
    other = client.post(
        reverse("cms:login"),
        {"username": people["director_b"].email, "password": factories.PASSWORD},
    )
    assert other.status_code == 302  # only the attacked account is locked


def test_too_many_login_attempts_from_one_address(client, people):
    for i in range(30):
        client.post(
            reverse("cms:login"),
            {"username": f"x{i}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
        )
    response = client.post(
        reverse("cms:login"),
        {"username": people["director_a"].email, "password": factories.PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_password_reset_mails_are_limited_and_the_page_never_tells(client, people):
    responses = [
        client.post(reverse("cms:password_reset"), {"email": people["director_a"].email})
        for _ in range(6)
    ]
    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == 3


def test_guessing_respondent_links_is_refused_for_a_while(client, round_a):
    token = services.respondent_issue_link(factories.respondent(round_a))
    for i in range(20):
        assert client.get(f"/r/{'x' * 40}{i:03d}/", REMOTE_ADDR="10.1.1.1").status_code == 404
    assert client.get(f"/r/{token}/", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert (
        client.get(f"/r/{token}/", REMOTE_ADDR="10.2.2.2").status_code == 302
    )  # others are not affected
