"""The public posts page's filters: a plain form bound to the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.models import DisclosureCategory

__all__ = ["PublicPostFilter"]


class PublicPostFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year published"), required=False, coerce=int, empty_value=None
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *DisclosureCategory.choices],
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Choose a year from the list: nothing was published in that one."
        )
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Choose a category from the list."
        )
