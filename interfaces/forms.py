from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm
from core.forms.fields import units_as_rows
from core.models import AdministrativeUnit, UnitLevel

MAX_PER_MINUTE = 600


class ApiKeyForm(OnceForm):
    name = forms.CharField(
        label=_("Application"),
        max_length=80,
        help_text=_("For example: 梅苑社区“数智智慧居民”小程序."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit it may file for"),
        queryset=AdministrativeUnit.objects.none(),
        help_text=_(
            "The key files demands and hazard reports for this unit and the units below it, "
            "no others."
        ),
    )
    per_minute = forms.IntegerField(
        label=_("Requests a minute"), min_value=1, max_value=MAX_PER_MINUTE, initial=30
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        units_as_rows(
            self.fields["unit"],
            units.exclude(level=UnitLevel.GRID),
            ("code", "name"),
            lambda unit: f"{unit.code} · {unit.name}",
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Name the application the key is for."))
        return name
