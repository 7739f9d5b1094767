"""Forms of village-affairs disclosure: catalogue items, posts with fund lines and channels,
the committee's review, corrections. Amounts are typed in yuan with fen and kept as fen."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm
from core.forms.fields import DateInput, unit_choice_label
from core.models import AdministrativeUnit
from core.uploads import PhotoField
from disclosure.models import (
    Cadence,
    Channel,
    DisclosureCategory,
    DisclosureItem,
    FundLine,
    PostReview,
)

__all__ = [
    "ChannelFormSet",
    "CorrectForm",
    "FundLineFormSet",
    "ItemForm",
    "PostForm",
    "ReviewForm",
    "PhotoForm",
    "to_fen",
]

MAX_YUAN = Decimal("999999999999.99")


def to_fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def yuan_field(label, required=False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_value=MAX_YUAN,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class UnitChoiceMixin:
    def _units(self, units):
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class ItemForm(UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Village"), queryset=AdministrativeUnit.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=DisclosureCategory.choices)
    title = forms.CharField(label=_("Item"), max_length=120)
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    starts_on = forms.DateField(label=_("Disclosed from"), widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self._units(units)

    def clean(self):
        data = super().clean()
        if (
            data.get("unit")
            and data.get("title")
            and DisclosureItem.objects.filter(unit=data["unit"], title=data["title"]).exists()
        ):
            self.add_error("title", _("The catalogue already has an item of this name."))
        return data


class PostForm(UnitChoiceMixin, OnceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(label=_("Village"), queryset=AdministrativeUnit.objects.none())
    item = forms.ModelChoiceField(
        label=_("Catalogue item"),
        queryset=DisclosureItem.objects.none(),
        required=False,
        help_text=_("The catalogue item this post discloses; its periods count as disclosed."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=DisclosureCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    body = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    declared_income = yuan_field(_("Total income (yuan)"))
    declared_expense = yuan_field(_("Total expense (yuan)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self._units(units)
        self.fields["item"].queryset = DisclosureItem.objects.filter(unit__in=units, active=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if data.get("item") and data.get("unit") and data["item"].unit_id != data["unit"].pk:
            self.add_error("item", _("Choose an item of this village's catalogue."))
        return data


class FundLineForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Income or expense"), choices=[("", "—"), *FundLine.DIRECTIONS]
    )
    item = forms.CharField(label=_("Fund item"), max_length=120)
    amount = yuan_field(_("Amount (yuan)"), required=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices])
    published_on = forms.DateField(label=_("Date"), widget=DateInput())
    reference = forms.CharField(label=_("Issue or link"), max_length=120, required=False)


FundLineFormSet = forms.formset_factory(FundLineForm, extra=4, max_num=200, validate_max=True)
ChannelFormSet = forms.formset_factory(ChannelForm, extra=2, max_num=20, validate_max=True)


class PhotoForm(forms.Form):
    photo = PhotoField(label=_("Photo or scan"), required=True)
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=PostReview.DECISIONS, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comments"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction (shown publicly)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
