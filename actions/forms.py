from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from scan.forms import ISO_DATE
from scan.modeldoc import ModelDoc, localised
from scan.params import parse_id

from .models import ACTION_FIELDS, ActionStatus, EvaluationSchedule, ImprovementAction, Priority

User = get_user_model()  # cms.User, named through settings: actions sits below cms


def cell_choices(doc: ModelDoc | None, language: str) -> list[tuple[str, str]]:
    if doc is None:
        return []
    return [
        (
            c.code,
            f"{localised(next(d.name for d in doc.domains if d.code == c.domain_code), language)} · {localised(c.name, language)}",
        )
        for c in doc.cells
    ]


class ActionForm(forms.ModelForm):
    cells = forms.MultipleChoiceField(label=_("Cells"), widget=forms.CheckboxSelectMultiple)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ImprovementAction
        fields = list(ACTION_FIELDS)
        widgets = {
            "start_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
            "due_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_effect": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation, doc, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cells"].choices = cell_choices(doc, language)
        self.fields["owner"].queryset = User.objects.filter(
            memberships__organisation=organisation
        ).order_by("first_name", "email")
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("A person, or choose a working group below.")
        self.fields["working_group"].queryset = organisation.working_groups.order_by("name")
        self.fields["working_group"].required = False
        self.fields["working_group"].help_text = _(
            "Owned by a working group: its members see and update the action."
        )
        self.fields["status"].choices = ActionStatus.choices
        self.fields["priority"].choices = Priority.choices


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    # A declared field leaves the class for base_fields; the stubs see it shadow Form.files.
    files = forms.FileField(  # type: ignore[assignment]
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}),
        help_text=_("PDF, images, Office or text files, at most 10 MB each."),
    )


class AmbitionForm(forms.Form):
    statement = forms.CharField(
        label=_("Point on the horizon"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    horizon = forms.DateField(
        label=_("Horizon date"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = EvaluationSchedule
        fields = ["interval_months", "next_due_on", "active"]
        labels = {"active": _("Prepare evaluations on this schedule")}
        widgets = {"next_due_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)}


class MeasuresImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Columns: source, measure, period, period_end, value, scale (optional)."),
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the board"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
    )
    final = forms.BooleanField(
        label=_("This summary is final (the director can sign off)"), required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class SignOffForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing the sign-off"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=True,
        error_messages={"required": _("Give a reason for withdrawing the sign-off.")},
    )


class PeopleField(forms.ModelMultipleChoiceField):
    """People chosen by id: an id no column holds ("10**30") is an invalid choice, not a
    database error."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super().clean(value)


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none(), required=False)
    members = PeopleField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__organisation=organisation).order_by(
            "first_name", "email"
        )
        self.fields["chair"].queryset = people
        self.fields["members"].queryset = people
