from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .modeldoc import GROUP_CODES, Cell, localised
from .models import COMMENT_MAX_LENGTH, GroupKind, ModelVersion, RespondentGroup, ScanRound
from .services import NOT_APPLICABLE, AnswerInput


class IntroForm(forms.Form):
    """The intro step has nothing to fill in; continuing marks the start."""


class ClosingForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have answered all statements and want to submit my answers."),
        required=True,
        error_messages={"required": _("Tick the box to submit your answers.")},
    )


class LevelChoiceWidget(forms.RadioSelect):
    """Radio buttons that show the cell's descriptor of each level inline."""

    template_name = "scan/widgets/level_choice.html"
    option_template_name = "scan/widgets/level_option.html"

    def __init__(self, *args, descriptors: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.descriptors = descriptors or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["descriptor"] = self.descriptors.get(str(value), "")
        return option


class CellStepForm(forms.Form):
    """One wizard step: the statements of one cell for the respondent's group."""

    def __init__(self, *args, cell: Cell, group: str, language: str, levels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell = cell
        self.statements = cell.statements_for(group)
        choices = [
            (str(level), f"{level} · {localised(levels[level]['name'], language)}")
            for level in sorted(levels)
        ] + [(NOT_APPLICABLE, str(_("Not applicable / don't know")))]
        self.descriptors = {
            str(level): localised(cell.descriptors[str(level)], language)
            for level in sorted(levels)
        }
        for statement in self.statements:
            field = forms.ChoiceField(
                label=statement.text_for(group, language),
                choices=choices,
                widget=LevelChoiceWidget(descriptors=self.descriptors),
                error_messages={"required": _("Choose a level, or 'not applicable / don't know'.")},
            )
            self.fields[self.level_field(statement.code)] = field
            self.fields[self.comment_field(statement.code)] = forms.CharField(
                label=_("Explanation (optional)"),
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["step_comment"] = forms.CharField(
            label=_("Anything else about this topic? (optional)"),
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            # The page carries the comment as it was shown, so a save only writes the comment
            # when it was edited (and never clears one another tab wrote meanwhile).
            show_hidden_initial=True,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    @staticmethod
    def level_field(code: str) -> str:
        return f"level__{code.replace('.', '_')}"

    @staticmethod
    def comment_field(code: str) -> str:
        return f"comment__{code.replace('.', '_')}"

    def statement_rows(self):
        for statement in self.statements:
            yield (
                statement,
                self[self.level_field(statement.code)],
                self[self.comment_field(statement.code)],
            )

    def answer_inputs(self, data: dict | None = None) -> list[AnswerInput]:
        """Answers from cleaned data, or (going back) from whatever valid part was typed."""
        source = data if data is not None else self.cleaned_data
        out = []
        for statement in self.statements:
            raw = source.get(self.level_field(statement.code))
            if raw in (None, ""):
                continue
            level = None if raw == NOT_APPLICABLE else int(raw)
            out.append(
                AnswerInput(
                    statement.code, level, source.get(self.comment_field(statement.code)) or ""
                )
            )
        return out

    def partial_inputs(self) -> tuple[list[AnswerInput], str | None]:
        """The fields of a bound form that are valid on their own (used by the back button)."""
        valid, comment = {}, None
        for name, field in self.fields.items():
            bound = self[name]
            try:
                value = field.clean(
                    field.widget.value_from_datadict(self.data, self.files, bound.html_name)
                )
            except forms.ValidationError:
                continue
            if name == "step_comment":
                comment = value
            else:
                valid[name] = value
        return self.answer_inputs(valid), comment


def initial_for_step(cell: Cell, group: str, answers: dict, step_comment: str) -> dict:
    initial = {"step_comment": step_comment}
    for statement in cell.statements_for(group):
        answer = answers.get(statement.code)
        if answer is None:
            continue
        level, comment = answer
        initial[CellStepForm.level_field(statement.code)] = (
            NOT_APPLICABLE if level is None else str(level)
        )
        initial[CellStepForm.comment_field(statement.code)] = comment
    return initial


class RoundForm(forms.ModelForm):
    group_kinds = forms.MultipleChoiceField(
        label=_("Respondent groups"),
        choices=GroupKind.choices,
        initial=list(GROUP_CODES),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ScanRound
        fields = ["title", "period", "opens_on", "closes_on", "model_version", "min_group_size"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_version"].queryset = ModelVersion.objects.select_related(
            "model"
        ).order_by("model__code", "-number")
        self.fields["opens_on"].initial = timezone.localdate()
        self.fields["closes_on"].initial = timezone.localdate() + dt.timedelta(days=21)


class RespondentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=120)
    department = forms.CharField(
        label=_("Department or team (optional)"), required=False, max_length=120
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=RespondentGroup.objects.none())

    def __init__(self, *args, scan_round: ScanRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = scan_round.groups.all()


class RespondentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: email, group (board, managers, staff, partners, tenants), name and department optional."
        ),
    )


class OpenLinkForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=RespondentGroup.objects.none())
    cap = forms.IntegerField(
        label=_("Maximum number of respondents"), min_value=1, max_value=1000, initial=30
    )
    closes_on = forms.DateField(
        label=_("Link closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, scan_round: ScanRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = scan_round.groups.all()
        self.fields["closes_on"].initial = scan_round.closes_on


class ConsensusForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Agreed level"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)]
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModelImportForm(forms.Form):
    file = forms.FileField(label=_("Model file (YAML or JSON)"))
