"""A kept personal field (a phone, an ID number, a name on an edit form): the form never holds
the stored value, its help shows it masked, a blank answer keeps it (the field is left out of
what the form hands on), and a typed value is checked like any other."""

from django import forms

from core.forms.base import VersionedForm
from core.forms.fields import KeptPersonalField, clean_mobile
from core.models import User


class PhoneEditForm(VersionedForm):
    full_name = forms.CharField(required=False)
    phone = KeptPersonalField(label="Phone", max_length=20, check=clean_mobile)


STORED = User(username="zhang", full_name="张三", phone="13912345678")


def form(phone: str | None = None, stored=STORED) -> PhoneEditForm:
    data = None if phone is None else {"version": "3", "full_name": "", "phone": phone}
    return PhoneEditForm(data, initial={"version": 3}, stored=stored)


def test_the_form_holds_no_stored_value_and_its_help_shows_it_masked():
    shown = form()
    html = shown.as_div()
    assert "13912345678" not in html
    assert "139****5678" in html
    assert 'name="phone"' in html and 'value="' not in html.split('name="phone"', 1)[1][:60]
    assert not shown.fields["phone"].required
    # The class's own field is not touched: another form's help is its own.
    assert PhoneEditForm.base_fields["phone"].help_text == ""


def test_a_blank_answer_keeps_the_stored_value():
    for blank in ("", "   "):
        kept = form(blank)
        assert kept.is_valid(), kept.errors
        assert "phone" not in kept.cleaned_data
        assert kept.cleaned_data["full_name"] == ""  # an ordinary blank field is still there


def test_a_typed_value_is_checked_and_cleaned():
    typed = form(" 139-8765-4321 ")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["phone"] == "13987654321"
    wrong = form("12ab")
    assert not wrong.is_valid()
    assert list(wrong.errors) == ["phone"]


def test_nothing_stored_shows_a_dash():
    assert "—" in str(form(stored=User(username="li")).fields["phone"].help_text)
