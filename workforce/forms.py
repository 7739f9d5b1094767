from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import DateInput, PhoneInput, clean_mobile, not_in_future, unit_choice_label
from core.models import AdministrativeUnit
from workforce.models import (
    Incentive,
    Organiser,
    Qualification,
    WorkerPosition,
    WorkerStatus,
)

__all__ = [
    "WorkerForm",
    "WorkerCreateForm",
    "WorkerEditForm",
    "WorkerFilterForm",
    "PositionForm",
    "ProgrammeForm",
    "TrainingSessionForm",
    "InviteForm",
    "CompetitionForm",
    "JudgeForm",
    "EntrantForm",
    "ScoreForm",
    "IncentiveForm",
]


def grid_choice_label(grid: AdministrativeUnit) -> str:
    return grid.name


class WorkerForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    name = forms.CharField(label=_("Full name"), max_length=32)
    position = forms.ModelChoiceField(label=_("Position"), queryset=WorkerPosition.objects.none())
    grids = forms.ModelMultipleChoiceField(
        label=_("Grids covered"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For grid workers: the grids they are responsible for."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, widget=PhoneInput())
    qualifications = forms.MultipleChoiceField(
        label=_("Qualifications"),
        choices=Qualification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=WorkerStatus.choices)
    joined_on = forms.DateField(label=_("In post since"), widget=DateInput())
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), required=False)

    def __init__(self, *args, units, grids, positions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        self.fields["grids"].queryset = grids
        self.fields["grids"].label_from_instance = grid_choice_label
        self.fields["position"].queryset = positions or WorkerPosition.objects.filter(active=True)
        if not self.is_bound:
            self.initial.setdefault("joined_on", timezone.localdate())
            self.initial.setdefault("status", WorkerStatus.ACTIVE)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the worker's name."))
        return name

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean_joined_on(self):
        return not_in_future(self.cleaned_data["joined_on"])

    def clean_left_on(self):
        return not_in_future(self.cleaned_data["left_on"])


class WorkerCreateForm(OnceForm, WorkerForm):
    pass


class WorkerEditForm(VersionedForm, WorkerForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _("Leave blank to keep the stored number.")


class WorkerFilterForm(forms.Form):
    q = forms.CharField(label=_("Full name"), required=False, max_length=32)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    position = forms.ModelChoiceField(
        label=_("Position"), queryset=WorkerPosition.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *WorkerStatus.choices], required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def filter(self, workers):
        data = self.cleaned_data
        if data.get("q"):
            workers = workers.filter(name__contains=data["q"].strip())
        if data.get("unit"):
            workers = workers.filter(unit__path__startswith=data["unit"].path)
        if data.get("position"):
            workers = workers.filter(position=data["position"])
        if data.get("status"):
            workers = workers.filter(status=data["status"])
        return workers


class PositionForm(forms.ModelForm):
    class Meta:
        model = WorkerPosition
        fields = ["name", "is_grid", "order"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the position's name."))
        return name


class ProgrammeForm(OnceForm):
    unit = forms.ModelChoiceField(
        label=_("Organised for"), queryset=AdministrativeUnit.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    organisers = forms.MultipleChoiceField(
        label=_("Organisers"), choices=Organiser.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label


class TrainingSessionForm(OnceForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=100)
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: handouts, slides, links."),
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        today = timezone.localdate()
        if abs((held_on - today).days) > 366 * 2:
            raise forms.ValidationError(_("Enter a date within two years of today."))
        return held_on


class InviteForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Workers of"), queryset=AdministrativeUnit.objects.none())
    position = forms.ModelChoiceField(
        label=_("Position"),
        queryset=WorkerPosition.objects.all(),
        required=False,
        empty_label=_("All positions"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label


class CompetitionForm(OnceForm):
    unit = forms.ModelChoiceField(
        label=_("Organised for"), queryset=AdministrativeUnit.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    first_prizes = forms.IntegerField(label=_("First prizes"), min_value=0, max_value=50)
    second_prizes = forms.IntegerField(label=_("Second prizes"), min_value=0, max_value=50)
    third_prizes = forms.IntegerField(label=_("Third prizes"), min_value=0, max_value=50)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        if not self.is_bound:
            self.initial.update({"first_prizes": 1, "second_prizes": 2, "third_prizes": 3})


class JudgeForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Round"), queryset=None)
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=None)

    def __init__(self, *args, rounds, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["judge"].queryset = judges


class EntrantForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(
        label=_("Workers"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers
        self.fields["workers"].label_from_instance = lambda w: f"{w.name} · {w.unit.name}"


class ScoreForm(forms.Form):
    """One field per entrant, named score_<entrant id>, and the version of each score already
    entered (v_<entrant id>), so a second tab cannot overwrite silently."""

    def __init__(self, *args, round_, entrants, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.entrants = list(entrants)
        for entrant in self.entrants:
            score = existing.get(entrant.pk)
            self.fields[f"score_{entrant.pk}"] = forms.DecimalField(
                label=_("Entrant %(n)03d") % {"n": entrant.number},
                required=False,
                max_digits=6,
                decimal_places=2,
                initial=score.value if score else None,
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.01",
                        "min": round_.min_score,
                        "max": round_.max_score,
                        "inputmode": "decimal",
                    }
                ),
            )
            self.fields[f"v_{entrant.pk}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=score.version if score else None
            )

    def clean(self):
        data = super().clean()
        low, high = self.round.min_score, self.round.max_score
        for entrant in self.entrants:
            name = f"score_{entrant.pk}"
            value = data.get(name)
            if value is not None and not (low <= value <= high):
                self.add_error(
                    name,
                    _("A score in this round lies between %(low)s and %(high)s.")
                    % {"low": low, "high": high},
                )
        return data

    def values(self) -> dict:
        return {e.pk: self.cleaned_data.get(f"score_{e.pk}") for e in self.entrants}

    def versions(self) -> dict:
        return {
            e.pk: self.cleaned_data[f"v_{e.pk}"]
            for e in self.entrants
            if self.cleaned_data.get(f"v_{e.pk}") is not None
        }

    def rows(self):
        return [(e, self[f"score_{e.pk}"], self[f"v_{e.pk}"]) for e in self.entrants]


class IncentiveForm(OnceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Incentive.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    granted_on = forms.DateField(label=_("Granted on"), widget=DateInput())
    granted_by = forms.CharField(label=_("Granted by"), max_length=64)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("For an allowance."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("granted_on", timezone.localdate())

    def clean_granted_on(self):
        return not_in_future(self.cleaned_data["granted_on"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == Incentive.Kind.ALLOWANCE and not data.get("amount"):
            self.add_error("amount", _("Enter the allowance's amount."))
        return data
