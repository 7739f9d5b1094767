from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm
from core.forms.fields import DateInput, not_in_future, unit_choice_label
from disputes.models import CaseCategory, LegalService, MediationStudio, ServicePoint

__all__ = ["StudioForm", "LegalServiceForm", "ServicePointForm", "CategoryForm"]


class _UnitModelForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class StudioForm(_UnitModelForm):
    class Meta:
        model = MediationStudio
        fields = ["unit", "name", "address", "hours", "mediators"]
        widgets = {"mediators": forms.Textarea(attrs={"rows": 3})}


class LegalServiceForm(OnceForm, forms.ModelForm):
    class Meta:
        model = LegalService
        fields = ["unit", "held_on", "kind", "people_reached", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean_people_reached(self):
        reached = self.cleaned_data["people_reached"]
        if reached < 1 or reached > 100_000:
            raise forms.ValidationError(_("Enter a number of person-times between 1 and 100,000."))
        return reached

    def clean_held_on(self):
        return not_in_future(self.cleaned_data["held_on"])


class ServicePointForm(_UnitModelForm):
    class Meta:
        model = ServicePoint
        fields = [
            "unit",
            "kind",
            "name",
            "address",
            "services",
            "hours",
            "meal_price_min",
            "meal_price_max",
            "opened_on",
            "closed_on",
        ]
        widgets = {
            "services": forms.Textarea(attrs={"rows": 2}),
            "opened_on": DateInput(),
            "closed_on": DateInput(),
        }

    def clean(self):
        data = super().clean()
        low, high = data.get("meal_price_min"), data.get("meal_price_max")
        for name in ("meal_price_min", "meal_price_max"):
            value = data.get(name)
            if value is not None and not (Decimal("0") <= value <= Decimal("1000")):
                self.add_error(name, _("Enter a price between 0 and 1,000 yuan."))
        if low is not None and high is not None and high < low:
            self.add_error("meal_price_max", _("The highest price cannot be below the lowest."))
        if data.get("kind") == ServicePoint.Kind.CANTEEN and (low is None or high is None):
            self.add_error("meal_price_min", _("A canteen lists its meal prices."))
        opened, closed = data.get("opened_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", _("A point cannot close before it opened."))
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = CaseCategory
        fields = ["name", "order"]
