from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.models import AdministrativeUnit, UnitLevel
from core.services.unit_import import MAX_IMPORT_BYTES
from core.uploads import ImportFileField

__all__ = ["UnitCreateForm", "UnitEditForm", "UnitMoveForm", "UnitRetireForm", "UnitImportForm"]


class UnitCreateForm(OnceForm):
    level = forms.ChoiceField(label=_("Level"), choices=UnitLevel.choices)
    code = forms.CharField(
        label=_("Statistical division code"),
        max_length=15,
        help_text=_("12 digits for a street, community or village; 15 for a grid."),
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, parent: AdministrativeUnit, **kwargs):
        super().__init__(*args, **kwargs)
        from core.models.units import PARENT_LEVELS

        allowed = [(k, v) for k, v in UnitLevel.choices if parent.level in PARENT_LEVELS[k]]
        self.fields["level"].choices = allowed

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("The name is empty."))
        return name


class UnitEditForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=64)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("The name is empty."))
        return name


class UnitMoveForm(VersionedForm):
    new_parent = forms.ModelChoiceField(
        label=_("New parent unit"), queryset=AdministrativeUnit.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = candidates
        self.fields["new_parent"].label_from_instance = lambda u: f"{u.name}（{u.code}）"


class UnitRetireForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for retiring"), max_length=200)


class UnitImportForm(forms.Form):
    file = ImportFileField(
        label=_("CSV file"),
        help_text=_("One unit a line: code, name, level, parent code. UTF-8 or GB18030."),
        max_bytes=MAX_IMPORT_BYTES,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a CSV file."))
        return upload
