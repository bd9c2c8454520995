from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scan.modeldoc import localised

YES_NO = [("yes", _("Yes")), ("no", _("No")), ("", _("Don't know"))]


class SurveyForm(forms.Form):
    """Built from the moment's questionnaire document, in the respondent's language."""

    grade = forms.TypedChoiceField(
        coerce=int, choices=[(n, str(n)) for n in range(1, 11)], widget=forms.RadioSelect
    )
    effort = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    open_answer = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    call_back = forms.BooleanField(required=False)

    def __init__(self, *args, document: dict, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["grade"].label = localised(document["grade"]["text"], language)
        self.fields["grade"].help_text = localised(document["grade"]["hint"], language)
        self.fields["effort"].label = localised(document["effort"]["text"], language)
        effort = self.fields["effort"]
        assert isinstance(effort, forms.ChoiceField)
        effort.choices = [
            (index, localised(text, language))
            for index, text in enumerate(document["effort"]["scale"], start=1)
        ]
        self.fields["open_answer"].label = localised(document["open"]["text"], language)
        self.fields["call_back"].label = localised(document["call_back"], language)
        # The hint under the box says when and by whom the tenant is contacted.
        self.fields["call_back"].widget.attrs["aria-describedby"] = "call-back-hint"
        self.driver_names = []
        for driver in document["drivers"]:
            name = f"driver_{driver['code']}"
            self.fields[name] = forms.ChoiceField(
                label=localised(driver["text"], language),
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )
            self.driver_names.append(name)

    def drivers(self) -> dict[str, bool | None]:
        answers = {}
        for driver in self.document["drivers"]:
            value = self.cleaned_data.get(f"driver_{driver['code']}", "")
            answers[driver["code"]] = {"yes": True, "no": False}.get(value)
        return answers


class EventsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File with customer moments (CSV or Excel)"),
        help_text=_("Columns: id, moment, date, partner, complex, e-mail, phone."),
    )
