"""A respondent answers on a phone, stops halfway, resumes from the link in a fresh browser
and finishes: every answer is stored exactly once."""

import re

import pytest

from scan import services
from scan.modeldoc import ModelDoc
from scan.models import Answer, Respondent
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

NEXT = re.compile("Opslaan en verder|Save and continue")


def choose_levels(page, level: str) -> None:
    for fieldset in page.locator("fieldset.statement").all():
        fieldset.locator(f"input[type=radio][value='{level}']").check()


def test_phone_stop_halfway_resume_elsewhere_and_finish(live_server, new_page, round_a):
    respondent = factories.respondent(round_a, kind="tenants")
    token = services.respondent_issue_link(respondent)
    link = f"{live_server.url}/r/{token}/"
    doc = ModelDoc(round_a.model_version.document)
    expected = {s.code for s in doc.statements if s.asks("tenants")}

    phone = new_page(width=375, height=740)
    phone.goto(link)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    phone.get_by_role("button", name=re.compile("^(Start|Beginnen)$")).click()
    phone.wait_for_url("**/KV1/")
    # Keyboard only: tab to the first radio, choose with the arrow keys, submit with Enter.
    phone.locator("input[type=radio]").first.focus()
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/KP1/")
    assert Answer.objects.get(respondent=respondent, statement_code="KV1.1").level == 3
    # Half of the next step, then the phone is put away.
    phone.locator("fieldset.statement").first.locator("input[value='2']").check()
    phone.locator("fieldset.statement").first.locator("summary").click()
    phone.locator("fieldset.statement").first.locator("textarea").fill("Monteur kwam te laat")
    phone.get_by_role("button", name=re.compile("Vorige|Previous")).click()
    phone.wait_for_url("**/KV1/")
    phone.context.close()

    laptop = new_page(width=1280, height=900)
    laptop.goto(link)
    laptop.wait_for_url("**/KP1/")  # first step with an open statement
    first = laptop.locator("fieldset.statement").first
    assert first.locator("input[value='2']").is_checked()
    assert first.locator("textarea").input_value() == "Monteur kwam te laat"
    choose_levels(laptop, "4")
    laptop.get_by_role("button", name=NEXT).click()
    laptop.wait_for_url("**/KP2/")
    laptop.locator("fieldset.statement").first.locator("input[value='na']").check()
    # A double click on the submit button still stores the step once.
    laptop.get_by_role("button", name=NEXT).dblclick()
    laptop.wait_for_url("**/closing/")
    laptop.get_by_label(re.compile("ingevuld|answered all")).check()
    laptop.get_by_role("button", name=re.compile("Verstuur|Submit")).click()
    laptop.wait_for_url("**/done/")

    stored = list(
        Answer.objects.filter(respondent=respondent).values_list("statement_code", flat=True)
    )
    assert sorted(stored) == sorted(expected)
    assert len(stored) == len(set(stored))
    assert Answer.objects.get(respondent=respondent, statement_code="KP2.1").level is None
    assert Answer.objects.get(respondent=respondent, statement_code="KP1.1").level == 4
    assert Respondent.objects.get(pk=respondent.pk).submitted_at is not None
