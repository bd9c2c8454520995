from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.models import Role

from .modeldoc import GROUP_CODES, Cell, Statement, localised, own_text
from .models import COMMENT_MAX_LENGTH, GroupKind, ModelVersion, RespondentGroup, ScanRound
from .params import parse_id
from .services import NOT_APPLICABLE, AnswerInput
from .services.round_copy import RESPONDENTS_STAY

# <input type="date"> reads and writes ISO dates only, whatever the page's language.
ISO_DATE = "%Y-%m-%d"


class IntroForm(forms.Form):
    """The intro step has nothing to fill in; continuing marks the start."""


class ClosingForm(forms.Form):
    confirm = forms.BooleanField(
        # No full stop: the error summary writes "label: error".
        label=_("I have answered all statements and want to submit my answers"),
        required=True,
        error_messages={"required": _("Tick the box to submit your answers.")},
    )


class LevelChoiceWidget(forms.RadioSelect):
    """A statement's short options: the level's number and its name in the group's words.

    The level descriptors of the cell are not repeated under every statement: the page shows
    them once, in the scale card above the statements (the group's own words), so the options
    stay one short line each. The options' markup is the same for every respondent of a step,
    so it is built once per widget of a cached step form and shared by the copies each form
    instance makes; a render only marks the checked option. The markup is what the widget
    templates give (they stay for anything that renders options the ordinary way)."""

    template_name = "scan/widgets/level_choice.html"
    option_template_name = "scan/widgets/level_option.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (name, id) -> [(value, markup before "checked", markup after)]; shared by copies.
        self.option_markup: dict[tuple[str, str], list[tuple[str, str, str]]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        number, _sep, short = str(label).partition(" · ")
        option["number"], option["short"] = (number, short) if short else ("", str(label))
        return option

    def render(self, name, value, attrs=None, renderer=None):
        id_ = self.build_attrs(self.attrs, attrs).get("id") or ""
        parts = self.option_markup.get((name, id_))
        if parts is None:
            parts = self.option_markup[(name, id_)] = self._option_parts(name, id_)
        checked = set(self.format_value(value))
        html = "".join(
            before + (" checked" if option_value in checked else "") + after
            for option_value, before, after in parts
        )
        opening = (
            format_html('<div class="level-choice" id="{}">', id_)
            if id_
            else ('<div class="level-choice">')
        )
        return mark_safe(opening + html + "</div>")

    def _option_parts(self, name: str, id_: str) -> list[tuple[str, str, str]]:
        parts: list[tuple[str, str, str]] = []
        for index, (value, label) in enumerate(self.choices):
            value = str(value)
            option_id = f"{id_}_{index}" if id_ else ""
            number, _sep, short = str(label).partition(" · ")
            if not short:
                number, short = "", str(label)
            # On a phone only the number shows (the page's legend names the levels once);
            # the input's accessible name always carries the level's name.
            before = format_html(
                '<label class="level-option{}" for="{}"><input type="{}" name="{}" value="{}"'
                ' id="{}"',
                " level-na" if value == NOT_APPLICABLE else "",
                option_id,
                self.input_type,
                name,
                value,
                option_id,
            )
            after = format_html(
                '{}><span class="level-text">{}<span class="level-name">{}</span></span></label>',
                format_html(' aria-label="{} {}"', number, short) if number else "",
                format_html('<span class="level-number">{}</span>', number) if number else "",
                short,
            )
            parts.append((value, before, after))
        return parts


class CellStepForm(forms.Form):
    """One wizard step: the statements of one cell for the respondent's group.

    A step's fields never change for a model version, group and language, so the wizard builds
    a subclass with them once (`step_form_class`, cached in `scan.wizard_steps`); an instance
    only binds one respondent's data."""

    cell: Cell
    statements: tuple[Statement, ...] = ()

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
            if raw is None or raw == "":
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


def level_name(levels: dict, level: int, group: str, language: str) -> str:
    """A level's short name as the group reads it (the model's ``wording``), else the model's."""
    item = levels[level]
    return own_text(item.get("wording") or {}, group, "name", language) or localised(
        item["name"], language
    )


def step_form_class(cell: Cell, group: str, language: str, levels: dict) -> type[CellStepForm]:
    """The form class of one step, with its fields worded for ``group`` in ``language``."""
    with translation.override(language):
        choices = [
            (str(level), f"{level} · {level_name(levels, level, group, language)}")
            for level in sorted(levels)
        ] + [(NOT_APPLICABLE, str(_("Don't know / n/a")))]  # nl: "Weet niet / n.v.t."
        descriptors = {
            str(level): cell.descriptor_for(level, group, language) for level in sorted(levels)
        }
    statements = tuple(cell.statements_for(group))
    fields: dict = {"cell": cell, "statements": statements, "descriptors": descriptors}
    for statement in statements:
        fields[CellStepForm.level_field(statement.code)] = forms.ChoiceField(
            label=statement.text_for(group, language),
            choices=choices,
            widget=LevelChoiceWidget(),
            error_messages={"required": _("Choose a level, or 'not applicable / don't know'.")},
        )
        fields[CellStepForm.comment_field(statement.code)] = forms.CharField(
            label=_("Explanation (optional)"),
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    fields["step_comment"] = forms.CharField(
        label=_("Anything else about this topic? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        # The page carries the comment as it was shown, so a save only writes the comment
        # when it was edited (and never clears one another tab wrote meanwhile).
        show_hidden_initial=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    return type(f"CellStepForm_{cell.code}_{group}_{language}", (CellStepForm,), fields)


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
            "opens_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        }

    copy_from = forms.ModelChoiceField(
        label=_("Round to copy"),
        queryset=ScanRound.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    copy_respondents = forms.BooleanField(
        label=_("Also copy the respondents (without their links, mails or answers)"),
        required=False,
    )

    def __init__(
        self, *args, copyable=None, source=None, organisation_id: int | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.org_id = organisation_id
        if copyable is None:
            copyable = ScanRound.objects.none()
        if source is None and self.is_bound:
            pk = parse_id(self.data.get("copy_from"))
            source = copyable.filter(pk=pk).first() if pk is not None else None
        self.source = source
        versions = ModelVersion.objects.select_related("model").order_by("model__code", "-number")
        model_version = self.fields["model_version"]
        assert isinstance(model_version, forms.ModelChoiceField)
        model_version.queryset = versions
        # Most rounds use the newest version of the model: preselect it.
        newest = versions.order_by("-published_at", "-pk").first() if not self.is_bound else None
        if newest is not None:
            self.fields["model_version"].initial = newest.pk
        self.fields["opens_on"].initial = timezone.localdate()
        self.fields["closes_on"].initial = timezone.localdate() + dt.timedelta(days=21)
        copy_from = self.fields["copy_from"]
        assert isinstance(copy_from, forms.ModelChoiceField)
        copy_from.queryset = copyable
        if source is not None:  # a copy starts from the earlier round's set-up
            self.initial.update(
                copy_from=source.pk,
                model_version=source.model_version_id,
                min_group_size=source.min_group_size,
                group_kinds=list(source.groups.values_list("kind", flat=True)),
            )
        if source is None or source.organisation_id != organisation_id:
            # Personal data stays with its organisation: respondents are copied within one only.
            del self.fields["copy_respondents"]

    def clean(self):
        data = super().clean()
        source = data.get("copy_from")
        if data.get("copy_respondents") and source and source.organisation_id != self.org_id:
            self.add_error("copy_respondents", RESPONDENTS_STAY)
        return data


class RespondentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=120)
    department = forms.CharField(
        label=_("Department or team (optional)"),
        required=False,
        max_length=120,
        # The round's departments are offered in a <datalist id="departments">.
        widget=forms.TextInput(attrs={"list": "departments", "autocomplete": "off"}),
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=RespondentGroup.objects.none())

    def __init__(self, *args, scan_round: ScanRound, **kwargs):
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = scan_round.groups.all()


class RespondentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The group names in the page's language; the import accepts them, the Dutch names and
        # the codes alike.
        groups = ", ".join(str(label).lower() for _value, label in GroupKind.choices)
        self.fields["file"].help_text = _(
            "Columns: e-mail and group (%(groups)s); name (or first name, infix, last name) and "
            "department optional. Dutch or English headers. You see what will be imported before "
            "anything is saved."
        ) % {"groups": groups}


class OpenLinkForm(forms.Form):
    """Its ids differ from the respondent form's on the same page."""

    group = forms.ModelChoiceField(label=_("Group"), queryset=RespondentGroup.objects.none())
    cap = forms.IntegerField(
        label=_("Maximum number of respondents"), min_value=1, max_value=1000, initial=30
    )
    closes_on = forms.DateField(
        label=_("Link closes on"),
        # The browser's date input only takes an ISO value; a localised one shows as empty.
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        input_formats=[ISO_DATE, "%d-%m-%Y"],
    )

    def __init__(self, *args, scan_round: ScanRound, **kwargs):
        kwargs.setdefault("auto_id", "id_open_%s")
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = scan_round.groups.all()
        self.fields["closes_on"].initial = scan_round.closes_on


class ConsensusForm(forms.Form):
    """No level is chosen beforehand: an agreed level is never recorded by accident."""

    level = forms.TypedChoiceField(
        label=_("Agreed level"),
        coerce=int,
        empty_value=None,
        choices=[("", _("Choose a level")), *((i, str(i)) for i in range(1, 6))],
        error_messages={"required": _("Choose the level the group agrees on.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a short reason for the agreed level.")},
    )


class ModelImportForm(forms.Form):
    file = forms.FileField(label=_("Model file (YAML or JSON)"))


class MemberInviteForm(forms.Form):
    """A consultant invites a person to the organisation (see services.members_invite)."""

    name = forms.CharField(label=_("Name"), max_length=300)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.COORDINATOR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
