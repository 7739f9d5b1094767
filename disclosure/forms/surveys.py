"""Forms of satisfaction surveys: a survey with its households' codes, and a villager's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.fields import DateInput
from core.models import AdministrativeUnit
from disclosure.forms.disclosure import UnitChoiceMixin
from disclosure.models import Rating

__all__ = ["AnswerForm", "SurveyForm"]


class SurveyForm(UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Village"), queryset=AdministrativeUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Question"), max_length=300)
    opens_on = forms.DateField(label=_("Open from"), widget=DateInput())
    closes_on = forms.DateField(label=_("Open until"), widget=DateInput())
    households = forms.IntegerField(
        label=_("Households (one answer code each)"), min_value=1, max_value=5000
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self._units(units)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The survey cannot close before it opens."))
        return data


class AnswerForm(forms.Form):
    code = forms.CharField(
        label=_("Answer code (on the slip your household received)"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    rating = forms.ChoiceField(
        label=_("Your answer"), choices=Rating.choices, widget=forms.RadioSelect
    )
