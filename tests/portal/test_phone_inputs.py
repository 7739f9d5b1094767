"""Phone and ID number boxes on a phone: a phone number brings up the telephone keypad and is not
filled in from the user's own; an ID number is remembered nowhere and capitalises its X (no number
pad: an ID number may end in X, which a number pad lacks)."""

import pytest

from care.forms import PersonForm
from consultation.forms import DemandLogForm, PublicDemandForm
from core.forms.accounts import AccountCreateForm, AccountEditForm
from disputes.forms.disputes import PartyForm
from volunteers.forms.editing import VolunteerEditForm
from volunteers.forms.transfers import TransferRequestForm
from volunteers.forms.volunteers import CounterLookupForm, VolunteerForm
from workforce.forms import WorkerCreateForm, WorkerEditForm

PHONES = [
    (PublicDemandForm, "contact_phone", "tel"),  # the resident's own number
    (DemandLogForm, "contact_phone", "off"),
    (AccountCreateForm, "phone", "off"),
    (AccountEditForm, "phone", "off"),
    (PartyForm, "phone", "off"),
    (VolunteerForm, "phone", "off"),
    (VolunteerEditForm, "phone", "off"),
    (WorkerCreateForm, "phone", "off"),
    (WorkerEditForm, "phone", "off"),
    (PersonForm, "phone", "off"),
    (PersonForm, "guardian_phone", "off"),
]
ID_NUMBERS = [
    (PartyForm, "id_number"),
    (VolunteerForm, "id_number"),
    (VolunteerEditForm, "id_number"),
    (TransferRequestForm, "id_number"),
    (CounterLookupForm, "id_number"),
    (PersonForm, "id_number"),
]


@pytest.mark.parametrize(("form", "name", "autocomplete"), PHONES)
def test_a_phone_number_brings_up_the_telephone_keypad(form, name, autocomplete):
    html = form.base_fields[name].widget.render(name, "")
    assert 'inputmode="tel"' in html
    assert f'autocomplete="{autocomplete}"' in html


@pytest.mark.parametrize(("form", "name"), ID_NUMBERS)
def test_an_id_number_is_remembered_nowhere_and_takes_a_capital_x(form, name):
    html = form.base_fields[name].widget.render(name, "")
    assert 'autocomplete="off"' in html
    assert 'autocapitalize="characters"' in html
    assert "inputmode" not in html
