from types import SimpleNamespace

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consultation.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    DemandSource,
    DemandStatus,
    MeetingKind,
    Platform,
    ProjectCategory,
    ProjectStage,
    Satisfaction,
)
from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import DateInput, PhoneInput, clean_mobile, not_in_future, unit_choice_label
from core.models import (
    AdministrativeUnit,
    UnitLevel,
)
from core.uploads import ImportFileField, PhotoField

__all__ = [
    "PublicDemandForm",
    "TrackForm",
    "RatingForm",
    "DemandLogForm",
    "DemandRouteForm",
    "DemandAnswerForm",
    "DemandFilterForm",
    "MeetingForm",
    "ProjectProposeForm",
    "ProjectMoveForm",
    "ProjectEditForm",
    "ProgressForm",
    "TicketImportForm",
    "PlatformForm",
    "ProjectCategoryForm",
    "normalise_code",
]

DESCRIPTION_MAX = 2000


def _text(value: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise forms.ValidationError(message)
    return text


def normalise_code(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


class PublicDemandForm(forms.Form):
    """The resident's form: no account, a phone, a minute. The `website` box is a honeypot:
    hidden from people, filled in by bots."""

    unit = forms.ModelChoiceField(
        label=_("Community or village"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("I don't know: I'll type the address"),
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=200,
        required=False,
        help_text=_("For example: 梅苑小区3号楼东侧路口."),
    )
    description = forms.CharField(
        label=_("What do you need?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": DESCRIPTION_MAX}),
    )
    photo = PhotoField(label=_("Photo (optional)"))
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only staff handling your demand see it, masked."),
    )
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        import uuid

        super().__init__(*args, **kwargs)
        units = (
            AdministrativeUnit.objects.active()
            .filter(level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE])
            .select_related("parent")
            .order_by("code")
        )
        field = self.fields["unit"]
        field.queryset = units
        # The picker's 250 options from their values: a model instance each cost most of the page.
        field.choices = [("", field.empty_label)] + [
            (pk, f"{parent} · {name}")
            for pk, parent, name in units.values_list("pk", "parent__name", "name")
        ]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_description(self):
        return _text(self.cleaned_data["description"], _("Say what you need."))

    def clean_contact_phone(self):
        return clean_mobile(self.cleaned_data["contact_phone"])

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not (data.get("address") or "").strip():
            self.add_error("address", _("Pick your community or village, or type an address."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
            raise forms.ValidationError(_("A tracking code has 12 letters and digits."))
        return code


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _DemandFields(forms.Form):
    description = forms.CharField(
        label=_("What the demand is"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact name"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, required=False, widget=PhoneInput()
    )

    def clean_description(self):
        return _text(self.cleaned_data["description"], _("Say what the demand is."))

    def clean_contact_phone(self):
        return clean_mobile(self.cleaned_data["contact_phone"])


class DemandLogForm(OnceForm, _DemandFields):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    source = forms.ChoiceField(
        label=_("Source"), choices=[c for c in DemandSource.choices if c[0] != DemandSource.ONLINE]
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    ticket_number = forms.CharField(label=_("12345 ticket number"), max_length=40, required=False)
    photo = PhotoField(label=_("Photo"))

    field_order = ["unit", "source", "received_on", "description", "address"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_received_on(self):
        return not_in_future(self.cleaned_data["received_on"])


class DemandRouteForm(VersionedForm):
    unit = forms.ModelChoiceField(label=_("Route to"), queryset=AdministrativeUnit.objects.none())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label


class DemandAnswerForm(VersionedForm):
    answer = forms.CharField(
        label=_("Answer to the resident"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_on = forms.DateField(label=pgettext_lazy("demand", "Answered on"), widget=DateInput())


class DemandAnswerAmendForm(VersionedForm):
    answer = forms.CharField(
        label=_("Answer to the resident"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Why the answer is changed"),
        max_length=200,
        help_text=_("Kept in the history with your name; the resident sees only the new answer."),
    )


class DemandFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *DemandSource.choices]
    )

    waiting_at = forms.ChoiceField(
        label=_("Waiting at"),
        required=False,
        choices=[
            ("", _("All")),
            (UnitLevel.STREET, _("Street")),
            (UnitLevel.COMMUNITY, _("Community")),
            (UnitLevel.VILLAGE, _("Village")),
            (UnitLevel.GRID, _("Grid")),
        ],
    )

    def __init__(self, *args, **kwargs):
        from consultation.models import DemandStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *DemandStatus.choices]


def _blank(field) -> list:
    return [("", field.empty_label)] if field.empty_label is not None else []


class MeetingForm(OnceForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    kind = forms.ChoiceField(label=_("Meeting type"), choices=MeetingKind.choices)
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.none(), required=False
    )
    held_on = forms.DateField(label=_("Meeting date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=100)
    host = forms.CharField(label=_("Host"), max_length=64)
    residents = forms.IntegerField(label=_("Residents"), min_value=0, max_value=100000, initial=0)
    representatives = forms.IntegerField(
        label=_("Residents' representatives"), min_value=0, max_value=100000, initial=0
    )
    party_members = forms.IntegerField(
        label=_("Party members"), min_value=0, max_value=100000, initial=0
    )
    businesses = forms.IntegerField(
        label=_("Property companies and businesses"), min_value=0, max_value=100000, initial=0
    )
    departments = forms.IntegerField(
        label=_("Departments"), min_value=0, max_value=100000, initial=0
    )
    demands = forms.ModelMultipleChoiceField(
        label=_("Demands on the agenda"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects on the agenda"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = PhotoField(label=_("Photo"))

    def __init__(self, *args, units, platforms, demands, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["platform"].queryset = platforms
        # The pickers' hundreds of options from their values, not a model instance each.
        self.fields["unit"].choices = _blank(self.fields["unit"]) + [
            (pk, unit_choice_label(SimpleNamespace(depth=depth, name=name)))
            for pk, depth, name in units.values_list("pk", "depth", "name")
        ]
        self.fields["platform"].choices = _blank(self.fields["platform"]) + [
            (pk, f"{name}（{unit}）")
            for pk, name, unit in platforms.values_list("pk", "name", "unit__name")
        ]
        self.fields["demands"].queryset = demands
        self.fields["demands"].label_from_instance = lambda d: (
            f"{d.received_on:%m-%d} {d.unit.name}：{d.description[:40]}"
            + (f"（{d.get_status_display()}）" if d.status == DemandStatus.ANSWERED else "")
        )
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda p: (
            f"{p.title}（{p.get_stage_display()}）"
        )
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def clean_held_on(self):
        return not_in_future(self.cleaned_data["held_on"])


class ProjectProposeForm(OnceForm):
    title = forms.CharField(label=_("Project title"), max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ProjectCategory.objects.usable()
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    demands = forms.ModelMultipleChoiceField(
        label=_("Demands behind it"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = forms.DecimalField(
        label=_("Estimated cost (yuan)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    funding_source = forms.CharField(label=_("Funding source"), max_length=100, required=False)

    def __init__(self, *args, units, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label
        self.fields["demands"].queryset = demands
        self.fields["demands"].label_from_instance = lambda d: (
            f"{d.received_on:%m-%d} {d.description[:40]}"
        )

    def clean_title(self):
        return _text(self.cleaned_data["title"], _("Give the project a title."))


class ProjectMoveForm(VersionedForm):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=ProjectStage.choices)
    meeting = forms.ModelChoiceField(
        label=_("At the meeting"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    beneficiaries = forms.IntegerField(
        label=_("Beneficiaries"), required=False, min_value=0, max_value=10_000_000
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.held_on} {m.get_kind_display()} · {m.unit.name}"
        )


class ProjectEditForm(VersionedForm):
    title = forms.CharField(label=_("Project title"), max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ProjectCategory.objects.usable()
    )
    cost = forms.DecimalField(
        label=_("Cost (yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    funding_source = forms.CharField(label=_("Funding source"), max_length=100, required=False)
    beneficiaries = forms.IntegerField(
        label=_("Beneficiaries"), required=False, min_value=0, max_value=10_000_000
    )
    photo_before = PhotoField(label=_("Photo before"))
    photo_after = PhotoField(label=_("Photo after delivery"))


class ProgressForm(OnceForm):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())

    def clean_text(self):
        return _text(self.cleaned_data["text"], _("Say what progress was made."))


class TicketImportForm(forms.Form):
    file = ImportFileField(
        max_bytes=2 * 1024 * 1024,
        label=_("12345 tickets (XLSX or CSV)"),
        help_text=_(
            "Columns: 工单编号, 受理日期, 单位代码, 诉求内容, 地址, 联系人, 联系电话. "
            "At most 2 MB and 5,000 rows."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Choose an XLSX or CSV file."))
        return upload


class PlatformForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    name = forms.CharField(label=_("Platform name"), max_length=40)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_choice_label

    def clean_name(self):
        return _text(self.cleaned_data["name"], _("Give the platform a name."))


class ProjectCategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=32)

    def clean_name(self):
        name = _text(self.cleaned_data["name"], _("Give the category a name."))
        if ProjectCategory.objects.filter(name=name).exists():
            raise forms.ValidationError(_("This category exists already."))
        return name
