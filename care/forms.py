"""The care app's forms: registering a person, the one-minute visit form, closing an alert,
the district's visit plan and escalation minutes, and the registry's filter."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models import CareKind, Finding, LeaveReason, Outcome, RiskLevel
from core.forms.base import BLANK_CHOICE_LABEL, OnceForm, VersionedForm
from core.forms.fields import (
    DateInput,
    IdNumberInput,
    KeptPersonalField,
    PhoneInput,
    clean_mobile,
    not_in_future,
)
from core.privacy import id_number_error
from core.uploads import PhotoField

__all__ = [
    "AlertCloseForm",
    "AckMinutesForm",
    "ChildActivityForm",
    "DeviceBindForm",
    "DeviceUnbindForm",
    "KindChangeForm",
    "PersonEditForm",
    "PersonForm",
    "PersonLeaveForm",
    "PlanRuleForm",
    "RegistryFilter",
    "VisitForm",
]


class PersonForm(OnceForm):
    unit = forms.ModelChoiceField(queryset=None, label=_("Grid"))
    kind = forms.ModelChoiceField(queryset=None, label=_("Kind of care"))
    other_kinds = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Also"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    id_number = forms.CharField(label=_("ID number"), max_length=18, widget=IdNumberInput())
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, widget=PhoneInput())
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    guardian_name = forms.CharField(label=_("Guardian or family contact"), max_length=64)
    guardian_relation = forms.CharField(label=_("Relation"), max_length=16, required=False)
    guardian_phone = forms.CharField(label=_("Contact's phone"), max_length=20, widget=PhoneInput())
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM
    )
    registered_on = forms.DateField(
        label=_("Registered on"), widget=DateInput(), initial=timezone.localdate,
        validators=[not_in_future],
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("The person (or their guardian) agrees to be registered"), required=True
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.parent.name} · {u.name}"
        kinds = CareKind.objects.filter(active=True)
        self.fields["kind"].queryset = kinds
        self.fields["other_kinds"].queryset = kinds

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if error := id_number_error(value):
            raise forms.ValidationError(error)
        return value

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean_guardian_phone(self):
        return clean_mobile(self.cleaned_data["guardian_phone"])


class VisitForm(OnceForm):
    """On a phone in under a minute: how the person was found is one tap; the rest optional."""

    finding = forms.ChoiceField(
        label=_("How was the person?"), choices=Finding.choices, widget=forms.RadioSelect
    )
    needs = forms.CharField(
        label=_("Needs raised"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    to_demand = forms.BooleanField(label=_("Make this need a demand (诉求)"), required=False)
    visited_on = forms.DateField(
        label=_("Date of the visit"), widget=DateInput(), initial=timezone.localdate,
        validators=[not_in_future],
    )  # fmt: skip
    photo = PhotoField(label=_("Photo"))


class AlertCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was done"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanRuleForm(forms.Form):
    kind = forms.ModelChoiceField(queryset=CareKind.objects.all(), label=_("Kind of care"))
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    interval_days = forms.IntegerField(label=_("Visit every (days)"), min_value=1, max_value=366)


class AckMinutesForm(forms.Form):
    ack_minutes = forms.IntegerField(
        label=_("Minutes before an untaken alert climbs a level"), min_value=1, max_value=120
    )


class KindChangeForm(forms.Form):
    """Rename a kind, retire it (no new registration or change may choose it; those of it keep
    it and stay counted) or bring it back."""

    RETIRE, RESTORE = "retire", "restore"
    kind = forms.ModelChoiceField(queryset=CareKind.objects.all(), label=_("Kind of care"))
    name = forms.CharField(
        label=_("New name"),
        max_length=32,
        required=False,
        help_text=_("Leave blank to keep the name."),
    )
    use = forms.ChoiceField(
        label=_("Retire or bring back"),
        required=False,
        choices=[
            ("", _("Keep as it is")),
            (RETIRE, _("Retire: no longer chosen for a registration or a change")),
            (RESTORE, _("Bring back into use")),
        ],
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        kind, name = data.get("kind"), data.get("name")
        if kind is None:
            return data
        if name and CareKind.objects.filter(name=name).exclude(pk=kind.pk).exists():
            self.add_error("name", _("This kind is already on the list."))
        if not name and not data.get("use"):
            self.add_error("name", _("Write a new name, or choose to retire or bring it back."))
        return data


class KindForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=32)
    for_children = forms.BooleanField(label=_("For children"), required=False)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if CareKind.objects.filter(name=name).exists():
            raise forms.ValidationError(_("This kind is already on the list."))
        return name


class RegistryFilter(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Grid"), required=False)
    kind = forms.ModelChoiceField(
        queryset=CareKind.objects.all(), label=_("Kind of care"), required=False
    )
    due = forms.ChoiceField(
        label=_("Visits"),
        required=False,
        choices=[("", _("All")), ("week", _("Due this week")), ("overdue", _("Overdue"))],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DeviceBindForm(OnceForm):
    serial = forms.RegexField(
        label=_("Bracelet number"),
        max_length=64,
        regex=r"^\s*[A-Za-z0-9][A-Za-z0-9_-]{2,63}\s*$",
        error_messages={
            "invalid": _("A bracelet number is 3 to 64 letters, digits, - or _ (on its back).")
        },
    )


class DeviceUnbindForm(OnceForm):
    reason = forms.CharField(
        label=_("Why it is unbound"),
        max_length=200,
        help_text=_("For example: broken, returned, replaced by another."),
    )


class PersonEditForm(VersionedForm, OnceForm):
    kind = forms.ModelChoiceField(queryset=None, label=_("Kind of care"))
    other_kinds = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Also"), required=False, widget=forms.CheckboxSelectMultiple
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    # Phones are personal data: the form never holds them; a blank one keeps what is stored.
    phone = KeptPersonalField(
        label=_("Phone"), max_length=20, widget=PhoneInput(), check=clean_mobile
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    guardian_name = forms.CharField(label=_("Guardian or family contact"), max_length=64)
    guardian_relation = forms.CharField(label=_("Relation"), max_length=16, required=False)
    guardian_phone = KeptPersonalField(
        label=_("Contact's phone"), max_length=20, widget=PhoneInput(), check=clean_mobile
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # The kinds the person holds stay choosable when the district has retired them.
    HOLDS_KINDS = True

    def __init__(self, *args, held_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        kinds = CareKind.objects.filter(Q(active=True) | Q(pk__in=list(held_kinds)))
        self.fields["kind"].queryset = kinds
        self.fields["other_kinds"].queryset = kinds


class PersonLeaveForm(VersionedForm, OnceForm):
    reason = forms.ChoiceField(
        label=_("Why they leave care"), choices=LeaveReason.choices, widget=forms.RadioSelect
    )
    left_on = forms.DateField(
        label=_("Left care on"), widget=DateInput(), initial=timezone.localdate,
        validators=[not_in_future],
    )  # fmt: skip


class ChildActivityForm(OnceForm):
    activity = forms.TypedChoiceField(
        label=_("Volunteer activity the child took part in"),
        coerce=int,
        choices=(),
        help_text=_("暑期托管 and other activities held for the child's grid or a unit above it."),
    )

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", BLANK_CHOICE_LABEL)] + [
            (a.pk, f"{a.held_on:%Y-%m-%d} · {a.title} · {a.team}") for a in activities
        ]
