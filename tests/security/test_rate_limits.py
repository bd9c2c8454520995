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


# Login lockout (django-axes, both login forms): tests/security/test_lockout.py.


def test_password_reset_mails_are_limited_and_the_page_never_tells(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # mails leave after commit
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
    assert client.get(f"/r/{'x' * 40}999/", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.get(f"/r/{'x' * 40}999/", REMOTE_ADDR="10.2.2.2").status_code == 404
    # Only misses count: the address that guessed still opens a real link.
    assert client.get(f"/r/{token}/", REMOTE_ADDR="10.1.1.1").status_code == 302


@pytest.mark.parametrize("prefix", ["/p/", "/k/"])
def test_guessing_pulse_and_card_links_is_refused_for_a_while(client, round_a, prefix):
    for i in range(20):
        assert client.get(f"{prefix}{'x' * 40}{i:03d}/", REMOTE_ADDR="10.1.1.1").status_code == 404
    refused = client.get(f"{prefix}{'x' * 40}999/", REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()
    assert client.get(f"{prefix}{'x' * 40}999/", REMOTE_ADDR="10.2.2.2").status_code == 404


def test_every_kind_of_link_draws_on_one_guessing_budget(client, round_a):
    for i in range(20):
        prefix = ("/r/", "/p/", "/k/")[i % 3]
        client.get(f"{prefix}{'x' * 40}{i:03d}/", REMOTE_ADDR="10.1.1.1")
    assert client.get(f"/r/{'x' * 40}999/", REMOTE_ADDR="10.1.1.1").status_code == 429
