"""The respondent wizard never loses or duplicates an answer."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from scan import services
from scan.models import Answer, Respondent, StepComment
from tests import factories

pytestmark = pytest.mark.django_db

PREFIX = "respondent_wizard"


def step_url(token, step):
    return reverse("scan_public:respond_step", kwargs={"token": token, "step": step})


def post_step(client, token, step, data=None, goto=None):
    payload = {"respondent_wizard-current_step": step, **(data or {})}
    if goto:
        payload["wizard_goto_step"] = goto
    return client.post(step_url(token, step), payload)


def staff_answers(level="3"):
    return {
        "KV1": {"KV1-level__KV1_1": level, "KV1-level__KV1_2": "na", "KV1-step_comment": ""},
        "KP1": {
            "KP1-level__KP1_1": level,
            "KP1-level__KP1_2": level,
            "KP1-comment__KP1_1": "Vaak te laat",
        },
        "KP2": {"KP2-level__KP2_1": level},
    }


@pytest.fixture
def respondent_token(round_a):
    respondent = factories.respondent(round_a, kind="staff")
    return respondent, services.respondent_issue_link(respondent)


def test_fresh_link_lands_on_intro_then_steps_save_at_once(client, respondent_token):
    respondent, token = respondent_token
    response = client.get(reverse("scan_public:respond", kwargs={"token": token}))
    assert response.status_code == 302 and response.url.endswith("/intro/")
    page = client.get(response.url)
    assert "Stap 1 van 5" in page.content.decode() or "Step 1 of 5" in page.content.decode()
    assert post_step(client, token, "intro").url.endswith("/KV1/")
    response = post_step(client, token, "KV1", staff_answers()["KV1"])
    assert response.status_code == 302 and response.url.endswith("/KP1/")
    assert dict(
        Answer.objects.filter(respondent=respondent).values_list("statement_code", "level")
    ) == {"KV1.1": 3, "KV1.2": None}


def test_level_descriptors_are_shown_once_per_page(client, respondent_token):
    """The cell's descriptors stand once in the page's scale card; each statement is answered
    with the short options (the level numbers and "don't know / n.v.t.")."""
    _respondent, token = respondent_token
    html = client.get(step_url(token, "KP1")).content.decode()
    assert html.count("KP1 beschrijving 4") == 1
    assert 'class="scale-card"' in html
    statements = html.count('<fieldset class="statement')
    assert statements >= 2 and html.count("Weet niet / n.v.t.") == statements


def test_tenant_sees_own_wording_and_not_internal_statements(client, round_a):
    tenant = factories.respondent(round_a, kind="tenants")
    token = services.respondent_issue_link(tenant)
    kp1 = client.get(step_url(token, "KP1")).content.decode()
    assert "De corporatie komt afspraken met mij na." in kp1
    kv1 = client.get(step_url(token, "KV1")).content.decode()
    assert "Het MT bespreekt" not in kv1
    # A tampered POST for a statement the tenant is not asked writes nothing.
    post_step(client, token, "KV1", {"KV1-level__KV1_1": "3", "KV1-level__KV1_2": "4"})
    assert list(
        Answer.objects.filter(respondent=tenant).values_list("statement_code", flat=True)
    ) == ["KV1.1"]


def test_invalid_step_is_refused_and_nothing_is_written(client, respondent_token):
    respondent, token = respondent_token
    response = post_step(client, token, "KP1", {"KP1-level__KP1_1": "7", "KP1-level__KP1_2": "2"})
    assert response.status_code == 400
    assert "level__KP1_1" in response.context["form"].errors
    response = post_step(
        client,
        token,
        "KP1",
        {"KP1-level__KP1_1": "2", "KP1-level__KP1_2": "2", "KP1-comment__KP1_1": "x" * 2001},
    )
    assert response.status_code == 400
    assert not Answer.objects.filter(respondent=respondent).exists()


def test_resume_on_another_device_lands_on_first_open_step_with_answers_filled(
    client, respondent_token, django_user_model
):
    from django.test import Client

    respondent, token = respondent_token
    post_step(client, token, "intro")
    post_step(client, token, "KV1", staff_answers("4")["KV1"])
    other = Client()  # another browser: no session at all
    response = other.get(reverse("scan_public:respond", kwargs={"token": token}))
    assert response.url.endswith("/KP1/")
    page = other.get(step_url(token, "KV1"))
    form = page.context["form"]
    assert form.initial["level__KV1_1"] == "4" and form.initial["level__KV1_2"] == "na"


def test_back_button_keeps_what_was_typed(client, respondent_token):
    respondent, token = respondent_token
    # Half a step typed, then "previous": the typed answer and comment are kept.
    response = post_step(
        client,
        token,
        "KP1",
        {"KP1-level__KP1_1": "2", "KP1-comment__KP1_1": "Monteur belt niet"},
        goto="KV1",
    )
    assert response.url.endswith("/KV1/")
    answer = Answer.objects.get(respondent=respondent, statement_code="KP1.1")
    assert (answer.level, answer.comment) == (2, "Monteur belt niet")
    page = client.get(step_url(token, "KP1"))
    assert page.context["form"].initial["comment__KP1_1"] == "Monteur belt niet"


def test_double_submit_and_second_tab_never_duplicate(client, respondent_token):
    respondent, token = respondent_token
    for _ in range(3):
        post_step(client, token, "KP1", staff_answers()["KP1"])
    # A second tab posts an older version of the same step: last write wins, one row each.
    post_step(client, token, "KP1", staff_answers("5")["KP1"])
    assert Answer.objects.filter(respondent=respondent).count() == 2
    assert set(Answer.objects.filter(respondent=respondent).values_list("level", flat=True)) == {5}


def test_expired_session_post_saves_the_posted_step(client, respondent_token):
    respondent, token = respondent_token
    post_step(client, token, "intro")
    client.cookies.clear()  # the session expired while the page was open
    response = post_step(client, token, "KP2", staff_answers()["KP2"])
    assert response.status_code == 302
    assert Answer.objects.filter(respondent=respondent, statement_code="KP2.1", level=3).exists()


def test_step_comment_saved_and_cleared(client, respondent_token):
    respondent, token = respondent_token
    post_step(
        client,
        token,
        "KP2",
        {**staff_answers()["KP2"], "KP2-step_comment": "Klachten blijven liggen"},
    )
    assert StepComment.objects.get(respondent=respondent).comment == "Klachten blijven liggen"
    # The page carries the comment as shown; emptying the box deletes it.
    post_step(
        client,
        token,
        "KP2",
        {
            **staff_answers()["KP2"],
            "KP2-step_comment": "",
            "initial-KP2-step_comment": "Klachten blijven liggen",
        },
    )
    assert not StepComment.objects.filter(respondent=respondent).exists()


def test_an_untouched_step_comment_is_not_cleared_by_another_tab(client, respondent_token):
    respondent, token = respondent_token
    page = client.get(step_url(token, "KP2")).content.decode()
    assert 'name="initial-KP2-step_comment"' in page  # the shown value travels with the form
    # Meanwhile a second tab writes a comment; the first tab then saves with an empty box
    # it never touched: the comment stays.
    post_step(client, token, "KP2", {**staff_answers()["KP2"], "KP2-step_comment": "Uit tab 2"})
    post_step(
        client,
        token,
        "KP2",
        {**staff_answers("4")["KP2"], "KP2-step_comment": "", "initial-KP2-step_comment": ""},
    )
    assert StepComment.objects.get(respondent=respondent).comment == "Uit tab 2"
    assert respondent.answers.get(statement_code="KP2.1").level == 4


def test_submit_locks_answers(client, respondent_token):
    respondent, token = respondent_token
    for step, data in staff_answers().items():
        post_step(client, token, step, data)
    response = post_step(client, token, "closing", {"closing-confirm": "on"})
    assert response.url.endswith("/done/")
    assert Respondent.objects.get(pk=respondent.pk).submitted_at is not None
    # Any later post changes nothing; the link shows the thank-you page.
    post_step(client, token, "KP2", {"KP2-level__KP2_1": "1"})
    assert Answer.objects.get(respondent=respondent, statement_code="KP2.1").level == 3
    assert client.get(reverse("scan_public:respond", kwargs={"token": token})).url.endswith(
        "/done/"
    )
    assert client.get(step_url(token, "done")).status_code == 200


def test_submit_with_gaps_goes_to_first_open_step(client, respondent_token):
    respondent, token = respondent_token
    post_step(client, token, "KV1", staff_answers()["KV1"])
    response = post_step(client, token, "closing", {"closing-confirm": "on"})
    assert response.url.endswith("/KP1/")
    assert Respondent.objects.get(pk=respondent.pk).submitted_at is None


@pytest.mark.parametrize("token", ["nope", "x" * 43, "a" * 500])
def test_unknown_links_get_a_clear_404(client, token, db):
    response = client.get(reverse("scan_public:respond", kwargs={"token": token}))
    assert response.status_code == 404
    assert "niet geldig" in response.content.decode() or "not valid" in response.content.decode()


def test_revoked_link_gets_410_and_closed_round_too(client, respondent_token, round_a):
    respondent, token = respondent_token
    services.respondent_revoke_links(respondent=respondent)
    assert client.get(step_url(token, "KV1")).status_code == 410
    fresh = services.respondent_issue_link(respondent)
    round_a.status = "closed"
    round_a.save()
    response = post_step(client, fresh, "KP2", staff_answers()["KP2"])
    assert response.status_code == 410
    assert not Answer.objects.exists()


def test_tampered_management_form_is_rejected(client, respondent_token):
    _respondent, token = respondent_token
    response = client.post(
        step_url(token, "KP2"),
        {"respondent_wizard-current_step": "../../admin", "KP2-level__KP2_1": "3"},
    )
    assert response.status_code == 400


def test_a_step_save_writes_only_answers_and_keeps_no_session(
    client, respondent_token, django_assert_max_num_queries
):
    """The wizard is the hot path under load: one link lookup, one row lock and one upsert (an
    untouched step comment is not written). No session row is read or written, so
    respondents get no session."""
    from django.contrib.sessions.models import Session

    respondent, token = respondent_token
    post_step(client, token, "intro")  # marks the respondent as started, once
    with django_assert_max_num_queries(3 + 2):  # + the savepoint pair of the test transaction
        response = post_step(client, token, "KV1", staff_answers()["KV1"])
    assert response.status_code == 302 and response.url.endswith("/KP1/")
    with django_assert_max_num_queries(3):
        assert client.get(response.url).status_code == 200
    assert Answer.objects.filter(respondent=respondent).count() == 2
    assert Session.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_a_comment_typed_on_a_step_sent_back_with_an_error_is_saved_once_fixed(
    client, respondent_token
):
    respondent, token = respondent_token
    typed = {"KP1-level__KP1_1": "3", "KP1-step_comment": "Monteurs bellen niet terug"}
    page = post_step(client, token, "KP1", {**typed, "initial-KP1-step_comment": ""})
    assert page.status_code == 400  # KP1.2 has no answer yet
    # The page sent back still carries the comment as it was first shown (empty), so the
    # typed comment counts as edited when the respondent sends the step again.
    hidden = re.search(r'<input[^>]*name="initial-KP1-step_comment"[^>]*>', page.content.decode())
    assert hidden and "value=" not in hidden.group(0)  # Django leaves out an empty value
    post_step(
        client,
        token,
        "KP1",
        {**typed, "KP1-level__KP1_2": "2", "initial-KP1-step_comment": ""},
    )
    assert StepComment.objects.get(respondent=respondent).comment == "Monteurs bellen niet terug"


def test_closing_error_reads_as_one_sentence(client, respondent_token):
    """The error summary writes "label: error"; the label has no full stop of its own."""
    _respondent, token = respondent_token
    response = post_step(client, token, "closing", {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "versturen: Vink het vakje aan" in html and ".:" not in html


def test_reopening_a_started_scan_says_welcome_back(client, respondent_token):
    respondent, token = respondent_token
    services.respondent_start(respondent, language="nl")
    landing = client.get(reverse("scan_public:respond", kwargs={"token": token}), follow=True)
    assert "Welkom terug" in landing.content.decode()
    fresh = factories.respondent(respondent.round, kind="staff")
    first = client.get(
        reverse("scan_public:respond", kwargs={"token": services.respondent_issue_link(fresh)}),
        follow=True,
    )
    assert "Welkom terug" not in first.content.decode()
