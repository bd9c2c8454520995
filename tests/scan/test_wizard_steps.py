"""A wizard step's form and wording are built once per model version, group and language;
what a respondent saved is never part of that cache."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from scan import services, wizard_steps
from scan.forms import LevelChoiceWidget, step_form_class
from scan.selectors import model_doc
from tests import factories

pytestmark = pytest.mark.django_db


def step_url(token, step, language="nl"):
    with translation.override(language):
        return reverse("scan_public:respond_step", kwargs={"token": token, "step": step})


def link(round_a, kind):
    respondent = factories.respondent(round_a, kind=kind)
    return respondent, services.respondent_issue_link(respondent)


@pytest.fixture
def builds(monkeypatch):
    """Counts how often a step's form class is built."""
    wizard_steps._CACHE.clear()
    calls = []

    def counting(*args, **kwargs):
        calls.append(args[1:3])  # (group, language)
        return step_form_class(*args, **kwargs)

    monkeypatch.setattr(wizard_steps, "step_form_class", counting)
    return calls


def test_the_same_step_is_built_once_for_every_respondent(client, round_a, builds):
    (_, first), (_, second) = link(round_a, "staff"), link(round_a, "staff")
    for token in (first, second, first):
        assert client.get(step_url(token, "KP1")).status_code == 200
    body = {"respondent_wizard-current_step": "KP1", "KP1-level__KP1_1": "3"}
    body["KP1-level__KP1_2"] = "4"
    assert client.post(step_url(second, "KP1"), body).status_code == 302
    assert builds == [("staff", "nl")]


def test_groups_and_languages_get_their_own_wording(client, round_a, builds):
    _, staff = link(round_a, "staff")
    _, tenant = link(round_a, "tenants")
    staff_nl = client.get(step_url(staff, "KP1")).content.decode()
    tenant_nl = client.get(step_url(tenant, "KP1")).content.decode()
    staff_en = client.get(step_url(staff, "KP1", "en")).content.decode()
    tenant_en = client.get(step_url(tenant, "KP1", "en")).content.decode()
    assert "We komen reparatieafspraken na." in staff_nl
    assert "De corporatie komt afspraken met mij na." in tenant_nl
    assert "We keep repair appointments." in staff_en
    assert "The corporation keeps its appointments with me." in tenant_en
    assert "KP1 beschrijving 4" in staff_nl and "KP1 descriptor 4" in staff_en
    assert "Repairs" in staff_en and "Reparaties" in staff_nl
    assert "De corporatie" not in staff_nl and "We keep" not in tenant_en
    assert sorted(builds) == sorted(
        [("staff", "nl"), ("tenants", "nl"), ("staff", "en"), ("tenants", "en")]
    )


def test_a_respondents_own_answers_are_never_shared(client, round_a):
    saver, saver_token = link(round_a, "staff")
    _, other_token = link(round_a, "staff")
    client.get(step_url(other_token, "KP1"))  # the step's form is cached now
    services.answer_save(respondent=saver, statement_code="KP1.1", level=4, comment="Te laat")
    mine = client.get(step_url(saver_token, "KP1")).content.decode()
    theirs = client.get(step_url(other_token, "KP1")).content.decode()
    assert re.search(r'value="4" id="id_KP1-level__KP1_1_3" checked', mine)
    assert "Te laat" in mine
    assert " checked" not in theirs and "Te laat" not in theirs


def test_a_new_model_version_gets_its_own_steps(round_a, builds):
    doc = model_doc(round_a)
    other = factories.model_version()
    assert wizard_steps.step_wording(doc, "KP1", "staff", "nl") is wizard_steps.step_wording(
        doc, "KP1", "staff", "nl"
    )
    round_a.model_version = other
    round_a.__dict__.pop("_model_doc", None)
    other_doc = model_doc(round_a)
    if other_doc is not doc:  # same document and checksum may share the parsed model
        wizard_steps.step_wording(other_doc, "KP1", "staff", "nl")
        assert len(builds) == 2


def test_level_options_are_the_widget_templates_markup(round_a):
    """The cached option markup is what the widget templates render, checked option too."""
    doc = model_doc(round_a)
    form_class = step_form_class(doc.cell_by_code["KP1"], "staff", "en", doc.levels)
    widget = form_class.base_fields["level__KP1_1"].widget
    assert isinstance(widget, LevelChoiceWidget)
    for value in (None, "3", "na"):
        attrs = {"id": "id_KP1-level__KP1_1"}
        fast = widget.render("KP1-level__KP1_1", value, attrs)
        templated = forms.RadioSelect.render(widget, "KP1-level__KP1_1", value, attrs)
        assert fast == re.sub(r">\s+<", "><", str(templated)).strip()
    # Short options: the level's number and name, never the cell's descriptor under each one.
    assert 'aria-label="5 ' in fast and "level-na" in fast
    assert "KP1 descriptor 5" not in fast


def test_every_label_and_description_points_at_an_element(client, round_a):
    _, token = link(round_a, "staff")
    for language in ("nl", "en"):
        html = client.get(step_url(token, "KP1", language)).content.decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        targets = re.findall(r'\sfor="([^"]+)"', html)
        targets += [
            target
            for value in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html)
            for target in value.split()
        ]
        assert targets and not [t for t in targets if t not in ids]
