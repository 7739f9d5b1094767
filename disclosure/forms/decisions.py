"""Forms of 四议两公开 decisions: the decision itself, and its next step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm
from core.forms.fields import DateInput
from core.models import AdministrativeUnit
from disclosure.forms.disclosure import UnitChoiceMixin
from disclosure.models import DisclosurePost, StepKind
from disclosure.services.decisions import step_posts

__all__ = ["DecisionForm", "StepForm", "post_choice_label"]


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
        error_messages={
            "invalid_choice": _(
                "Choose a post from the list: a published post of this village that discloses"
                " this decision's step."
            )
        },
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        upcoming = decision.next_kind()
        # The picker offers the posts that may disclose the step now due; a step of another kind
        # is refused by the step's order anyway.
        self.fields["post"].queryset = step_posts(decision, upcoming)
        self.fields["post"].label_from_instance = post_choice_label
        if upcoming and not self.is_bound:
            self.fields["kind"].initial = upcoming


def post_choice_label(post: DisclosurePost) -> str:
    """Editions of one post told apart: 关于…的决议公开 · 第2版 · 2026-11-02."""
    return _("%(title)s · edition %(n)s · %(day)s") % {
        "title": post.title,
        "n": post.edition,
        "day": f"{post.published_on:%Y-%m-%d}" if post.published_on else "—",
    }
