"""Forms of the round pages that only steer what is shown or started: the respondents list's
search and filters, the bulk actions, and the choice of a round to copy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GroupKind, RespondentGroup, ScanRound

STATUS_CHOICES = [
    ("", _("Every status")),
    ("not_invited", _("Not invited")),
    ("invited", _("Invited")),
    ("started", _("Started")),
    ("submitted", _("Submitted")),
]
STATUS_LABELS = dict(STATUS_CHOICES[1:])

BULK_ACTIONS = [
    ("invite", _("Send an invitation")),
    ("remind", _("Send a reminder")),
    ("revoke", _("Revoke links")),
]


class RespondentFilterForm(forms.Form):
    """Read from the query string (?q=&group=&status=); unknown values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=RespondentGroup.objects.none(),
        empty_label=_("All groups"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, scan_round: ScanRound, **kwargs):
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = scan_round.groups.all()
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Name, e-mail or department")}
        )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "group": "", "status": ""}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "group": str(data["group"].pk) if data["group"] else "",
            "status": data["status"],
        }


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(label=_("With the selected respondents"), choices=BULK_ACTIONS)

    def __init__(self, *args, scan_round: ScanRound | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if scan_round is not None and scan_round.status != "open":
            # Mails go out only while the round is open: no confirmation that ends in a refusal.
            action = self.fields["action"]
            assert isinstance(action, forms.ChoiceField)
            action.choices = [c for c in BULK_ACTIONS if c[0] == "revoke"]


class RoundCopyChoiceForm(forms.Form):
    """The rounds a consultant may copy, per organisation they serve."""

    copy_from = forms.ModelChoiceField(
        label=_("Copy the set-up of…"),
        queryset=ScanRound.objects.none(),
        empty_label=_("Choose a round"),
        help_text=_(
            "Groups and their names, threshold, model version, departments and, from another "
            "organisation, its own mail texts. Never answers."
        ),
    )

    def __init__(self, *args, copyable, **kwargs):
        super().__init__(*args, auto_id="id_source_%s", **kwargs)
        field = self.fields["copy_from"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = copyable
        rounds = list(copyable)
        grouped: dict[str, list] = {}
        for scan_round in rounds:
            grouped.setdefault(scan_round.organisation.name, []).append(
                (scan_round.pk, f"{scan_round.title} ({scan_round.period_label})")
            )
        field.choices = [("", field.empty_label), *grouped.items()]


class RoundEditForm(forms.ModelForm):
    """A round's details after creation. The threshold is shown but locked once someone has
    answered (the service refuses it too)."""

    class Meta:
        model = ScanRound
        fields = ["title", "period", "opens_on", "closes_on", "min_group_size"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, threshold_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "closes_on"):
            date_field = self.fields[name]
            assert isinstance(date_field, forms.DateField)
            date_field.input_formats = ["%Y-%m-%d", "%d-%m-%Y"]
        if threshold_locked:
            field = self.fields["min_group_size"]
            field.disabled = True
            field.help_text = _(
                "People have answered with this threshold in mind: it can no longer change."
            )


class OrganisationCreateForm(forms.Form):
    """A new client, started by a consultant (see services.organisations)."""

    name = forms.CharField(label=_("Name"), max_length=160)
    slug = forms.SlugField(
        label=_("Short name (in addresses)"),
        max_length=70,
        required=False,
        help_text=_("Filled in from the name; letters, digits and hyphens."),
    )
    city = forms.CharField(label=_("City (optional)"), max_length=80, required=False)
    group_kinds = forms.MultipleChoiceField(
        label=_("Respondent groups"),
        choices=GroupKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The groups a new round starts with; each round can still differ."),
    )
    reply_to = forms.EmailField(
        label=_("Reply-to address (optional)"),
        required=False,
        help_text=_(
            "Replies to invitations and reminders go here, for example the coordinator's "
            "address or a shared mailbox."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_kinds"].initial = [value for value, _label in GroupKind.choices]
        self.fields["name"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["slug"].widget.attrs.update({"data-slug-from": "id_name"})
