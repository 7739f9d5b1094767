from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from core.forms.base import OnceForm, VersionedForm
from core.forms.fields import KeptPersonalField, PhoneInput, units_as_rows
from core.models import AdministrativeUnit
from core.roles import ROLES
from core.services.accounts import holds_every_action

__all__ = ["AccountCreateForm", "AccountEditForm", "MembershipForm"]

PHONE_HELP = _("11-digit mobile number, optional.")


def _unit_label(unit: AdministrativeUnit) -> str:
    return f"{'　' * unit.depth}{unit.name}（{unit.code}）"


class _MembershipFields(forms.Form):
    """A unit of the manager's and a role for it: only a role whose every action the manager
    holds at that unit (services.accounts.holds_every_action)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    role = forms.ChoiceField(
        label=_("Role"),
        error_messages={"invalid_choice": _("Choose one of the roles you can grant.")},
    )

    def __init__(self, *args, manager, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        units = units if units is not None else AdministrativeUnit.objects.none()
        units_as_rows(self.fields["unit"], units, ("depth", "name", "code"), _unit_label)
        places = list(units.values_list("path", "level", named=True))
        self.fields["role"].choices = [
            (role.key, role.label)
            for role in ROLES.values()
            if any(
                unit.level in role.levels and holds_every_action(manager, unit, role)
                for unit in places
            )
        ]

    def clean(self):
        data = super().clean()
        unit, role = data.get("unit"), ROLES.get(data.get("role"))
        if unit is None or role is None:
            return data
        if unit.level not in role.levels:
            self.add_error(
                "role",
                _("A %(role)s is assigned to a unit of another level, not to a %(level)s.")
                % {"role": role.label, "level": unit.get_level_display()},
            )
        elif not holds_every_action(self.manager, unit, role):
            self.add_error(
                "role",
                _(
                    "At %(unit)s you do not hold everything a %(role)s may do, so you cannot "
                    "grant it there."
                )
                % {"role": role.label, "unit": unit.name},
            )
        return data


def _clean_phone(value: str) -> str:
    phone = value.strip().replace(" ", "").replace("-", "")
    if phone and not (len(phone) == 11 and phone.isdigit() and phone[0] == "1"):
        raise forms.ValidationError(_("Enter an 11-digit mobile number starting with 1."))
    return phone


class AccountCreateForm(OnceForm, _MembershipFields):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=PHONE_HELP,
        widget=PhoneInput(),
    )
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput(render_value=False)
    )

    field_order = ["username", "full_name", "phone", "password", "unit", "role"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if password := data.get("password"):
            user = get_user_model()(
                username=data.get("username", ""), full_name=data.get("full_name", "")
            )
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class AccountEditForm(VersionedForm):
    """The official's name and phone are personal data: the form never holds them unmasked; a
    blank field keeps what is stored, and its help shows the masked value."""

    full_name = KeptPersonalField(label=_("Full name"), max_length=64)
    phone = KeptPersonalField(
        label=_("Phone"), max_length=20, widget=PhoneInput(), check=_clean_phone
    )
    is_active = forms.BooleanField(label=_("Account active"), required=False)
    new_password = forms.CharField(
        label=_("New password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        if password:
            password_validation.validate_password(password, self.account)
        return password


class MembershipForm(_MembershipFields):
    pass
