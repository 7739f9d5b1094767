from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import (
    DateInput,
    IdNumberInput,
    PhoneInput,
    clean_mobile,
    not_in_future,
    unit_choice_label,
)
from core.models import AdministrativeUnit
from core.privacy import id_number_error
from core.uploads import PhotoField
from disputes.models import (
    CaseCategory,
    CaseParty,
    CaseSource,
    CaseStatus,
    HandlingLevel,
    MediationStudio,
)
from disputes.models.disputes import Referral

__all__ = [
    "CaseIntakeForm",
    "PartyForm",
    "PartyFormSet",
    "CaseMoveForm",
    "SessionForm",
    "AgreementForm",
    "ReturnVisitForm",
    "CaseFilterForm",
]


class CaseIntakeForm(OnceForm):
    unit = forms.ModelChoiceField(
        label=_("Unit (down to the grid)"), queryset=AdministrativeUnit.objects.none()
    )
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=CaseCategory.objects.usable())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    description = forms.CharField(
        label=_("What the dispute is about"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_received_on(self):
        return not_in_future(self.cleaned_data["received_on"])

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Describe the dispute."))
        return text


class PartyForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=CaseParty.Side.choices)
    kind = forms.ChoiceField(
        label=_("Person or organisation"),
        choices=CaseParty.Kind.choices,
        initial=CaseParty.Kind.PERSON,
        required=False,
    )
    name = forms.CharField(label=_("Full name, or the organisation's name"), max_length=64)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, widget=PhoneInput())
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, required=False, widget=IdNumberInput()
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def has_changed(self) -> bool:
        """A party block with nothing typed in is left out, whatever its side says."""
        return any(
            self.data.get(self.add_prefix(f), "").strip()
            for f in ("name", "phone", "id_number", "address")
        )

    def clean_kind(self):
        return self.cleaned_data["kind"] or CaseParty.Kind.PERSON

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the party's name."))
        return name

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean_id_number(self):
        number = self.cleaned_data["id_number"].strip().upper()
        if number and (error := id_number_error(number)):
            raise forms.ValidationError(error)
        return number


class _PartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Enter at least one party."))


PartyFormSet = formset_factory(
    PartyForm, formset=_PartyFormSet, extra=2, max_num=10, validate_max=True
)


class CaseMoveForm(VersionedForm):
    move = forms.CharField(widget=forms.HiddenInput, max_length=16)
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved_on = forms.DateField(label=_("Closed on"), required=False, widget=DateInput())
    outcome = forms.CharField(
        label=_("How it was settled"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referral = forms.ChoiceField(
        label=_("Referred to"), required=False, choices=[("", "—"), *Referral.choices]
    )
    referred_body = forms.CharField(
        label=_("Which court, tribunal or body"), required=False, max_length=100
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    studio = forms.ModelChoiceField(
        label=_("Mediation studio"), queryset=MediationStudio.objects.none(), required=False
    )
    mediators = forms.CharField(label=_("Mediators"), max_length=200)
    record = forms.CharField(
        label=_("Record of the session"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, case, studios, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["studio"].queryset = studios

    def clean_held_on(self):
        held_on = not_in_future(self.cleaned_data["held_on"])
        if held_on < self.case.received_on:
            raise forms.ValidationError(_("A session cannot come before the case was received."))
        return held_on


class AgreementForm(VersionedForm):
    # 0: the form was opened before the case had an agreement.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    facts = forms.CharField(
        label=_("Facts of the dispute"), max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )
    terms = forms.CharField(
        label=_("What was agreed"), max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )
    performance_method = forms.CharField(label=_("How it is performed"), max_length=200)
    performance_place = forms.CharField(
        label=_("Where it is performed"), max_length=200, required=False
    )
    perform_by = forms.DateField(label=_("Performed by"), widget=DateInput())
    photo = PhotoField(label=_("Photo of the signed agreement"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_signed_on(self):
        signed_on = not_in_future(self.cleaned_data["signed_on"])
        if signed_on < self.case.received_on:
            raise forms.ValidationError(
                _("An agreement cannot be signed before the case was received.")
            )
        return signed_on

    def clean(self):
        data = super().clean()
        if (
            data.get("signed_on")
            and data.get("perform_by")
            and data["perform_by"] < data["signed_on"]
        ):
            self.add_error("perform_by", _("The performance date cannot come before signing."))
        return data


class ReturnVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    performed = forms.TypedChoiceField(
        label=_("Was the agreement performed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_visited_on(self):
        visited_on = not_in_future(self.cleaned_data["visited_on"])
        if visited_on < self.case.received_on:
            raise forms.ValidationError(
                _("A return visit cannot come before the case was received.")
            )
        return visited_on


OPEN, ESCALATED, DIRECT = "open", "escalated", "direct"


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (OPEN, _("Open (not closed)")), *CaseStatus.choices],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )
    handled_at = forms.ChoiceField(
        label=_("Handled at"), required=False, choices=[("", _("All")), *HandlingLevel.choices]
    )
    arrived = forms.ChoiceField(
        label=_("How it arrived"),
        required=False,
        choices=[
            ("", _("All")),
            (ESCALATED, _("Escalated from below")),
            (DIRECT, _("Taken in at this level")),
        ],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=CaseCategory.objects.all(),
        empty_label=_("All"),
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *CaseSource.choices]
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Open more than 30 days"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end comes before the start."))
        return data

    def filter(self, cases):
        data = self.cleaned_data
        if data.get("status") == OPEN:
            cases = cases.open()
        elif data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("handled_at"):
            cases = cases.filter(handling_level=data["handled_at"])
        if data.get("arrived") == ESCALATED:
            cases = cases.escalated()
        elif data.get("arrived") == DIRECT:
            cases = cases.exclude(pk__in=cases.escalated().values("pk"))
        if data.get("unit"):
            cases = cases.filter(unit__path__startswith=data["unit"].path)
        if data.get("category"):
            cases = cases.filter(category=data["category"])
        if data.get("source"):
            cases = cases.filter(source=data["source"])
        if data.get("received_from"):
            cases = cases.filter(received_on__gte=data["received_from"])
        if data.get("received_to"):
            cases = cases.filter(received_on__lte=data["received_to"])
        if data.get("overdue"):
            cases = cases.overdue()
        return cases
