"""Forms of village supervision: members and observers, findings, responses, sign-off."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import DateInput, not_in_future
from core.models import AdministrativeUnit
from core.privacy import reveal
from core.uploads import PhotoField
from disclosure.forms.disclosure import UnitChoiceMixin
from disclosure.models import MemberKind, SupervisionMember

__all__ = ["FindingForm", "MemberForm", "RespondForm", "SignOffForm"]


class MemberForm(UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Village"), queryset=AdministrativeUnit.objects.none())
    name = forms.CharField(label=_("Full name"), max_length=40)
    kind = forms.ChoiceField(label=_("Serves as"), choices=MemberKind.choices)
    since = forms.DateField(label=_("Serving since"), widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self._units(units)


class FindingForm(UnitChoiceMixin, OnceForm):
    unit = forms.ModelChoiceField(label=_("Village"), queryset=AdministrativeUnit.objects.none())
    title = forms.CharField(label=_("What was found"), max_length=200)
    description = forms.CharField(
        label=_("Details"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    found_on = forms.DateField(label=_("Found on"), widget=DateInput())
    found_by = forms.ModelChoiceField(
        label=_("Found by"), queryset=SupervisionMember.objects.none(), required=False
    )
    photo = PhotoField(label=_("Photo"))
    assignee = forms.CharField(label=_("Assigned to"), max_length=40)
    deadline = forms.DateField(label=_("Rectify by"), widget=DateInput())

    def __init__(self, *args, units, by, **kwargs):
        super().__init__(*args, **kwargs)
        self._units(units)
        self.fields["found_by"].queryset = SupervisionMember.objects.filter(
            unit__in=units
        ).select_related("unit")

        # Whoever files a finding picks a colleague of their own village's supervision: a masked
        # name (王*) would not say which one, so the picker names them, and the reveal is logged.
        def label(member: SupervisionMember) -> str:
            name = reveal(member, "name", by=by, reason="found_by_picker")
            return f"{name} · {member.get_kind_display()} · {member.unit.name}"

        self.fields["found_by"].label_from_instance = label

    def clean_found_on(self):
        return not_in_future(self.cleaned_data["found_on"])

    def clean(self):
        data = super().clean()
        if data.get("found_on") and data.get("deadline") and data["deadline"] < data["found_on"]:
            self.add_error("deadline", _("The deadline cannot come before the finding."))
        member, unit = data.get("found_by"), data.get("unit")
        if member and unit and member.unit_id != unit.pk:
            self.add_error("found_by", _("Choose a member of this village's supervision."))
        return data


class RespondForm(VersionedForm):
    response = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responded_on = forms.DateField(label=_("Responded on"), widget=DateInput())
    photo_after = PhotoField(label=_("Photo after"))

    def clean_responded_on(self):
        return not_in_future(self.cleaned_data["responded_on"])


class SignOffForm(VersionedForm):
    pass
