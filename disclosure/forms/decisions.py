"""Forms of 四议两公开 decisions: the decision itself, and its next step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm
from core.forms.fields import DateInput
from core.models import AdministrativeUnit
from disclosure.forms.disclosure import UnitChoiceMixin
from disclosure.models import DisclosurePost, PostStatus, StepKind

__all__ = ["DecisionForm", "StepForm"]


class DecisionForm(UnitChoiceMixin, OnceForm):
    unit = forms.ModelChoiceField(label=_("Village"), queryset=AdministrativeUnit.objects.none())
    title = forms.CharField(label=_("Matter"), max_length=200)
    summary = forms.CharField(
        label=_("What is proposed"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    project = forms.CharField(
        label=_("Project it started"),
        max_length=200,
        required=False,
        help_text=_("The livelihood or industry project this decision started, if any."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self._units(units)


def count_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    expected = count_field(_("Entitled to attend"))
    present = count_field(_("Present"))
    votes_for = count_field(_("In favour"))
    votes_against = count_field(_("Against"))
    abstentions = count_field(_("Abstained"))
    representatives = forms.BooleanField(
        label=_("Villagers' representatives' meeting (not all villagers)"),
        required=False,
        initial=True,
    )
    post = forms.ModelChoiceField(
        label=_("Disclosure post (for the two disclosure steps)"),
        queryset=DisclosurePost.objects.none(),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = DisclosurePost.objects.filter(
            unit_id=decision.unit_id, status=PostStatus.PUBLISHED
        ).order_by("-published_on", "-id")
        self.fields["post"].label_from_instance = lambda p: f"{p.published_on:%Y-%m-%d} {p.title}"
        upcoming = decision.next_kind()
        if upcoming and not self.is_bound:
            self.fields["kind"].initial = upcoming
