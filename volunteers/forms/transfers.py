"""Asking for a volunteer registered elsewhere, and the holding unit's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import IdNumberInput, unit_choice_label
from core.models import AdministrativeUnit
from volunteers.forms.volunteers import clean_id

__all__ = ["TransferDecisionForm", "TransferRequestForm"]


class TransferRequestForm(OnceForm):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("The full 18-character number of the person, as on their ID card."),
        widget=IdNumberInput(),
    )
    unit = forms.ModelChoiceField(
        label=_("Transfer into"), queryset=AdministrativeUnit.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Shown to the unit that decides, e.g. 已迁入本社区居住."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean_id_number(self):
        return clean_id(self.cleaned_data["id_number"])


class TransferDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve: move them")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
