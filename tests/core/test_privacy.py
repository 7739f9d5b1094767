"""The one masking function, and the GB 11643 check of ID numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.models import User
from core.privacy import PERSONAL_FIELDS, id_number_error, mask, masked_field


def test_a_phone_shows_its_first_three_and_last_four_digits():
    assert mask("13812345678", "phone") == "138****5678"


def test_an_id_number_always_hides_the_birth_date():
    assert mask("370117198001011234", "id_number") == "370117********1234"


def test_a_name_shows_its_family_name_only():
    assert mask("张三", "name") == "张*"
    assert mask("欧阳娜娜", "name") == "欧***"


def test_an_address_keeps_only_its_start():
    assert mask("钢城区艾山街道梅苑小区3号楼", "address") == "钢城区艾山街****"


def test_empty_values_stay_empty():
    assert mask(None, "phone") == "" and mask("  ", "name") == ""


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_no_masked_phone_reveals_the_middle_digits(phone):
    masked = mask(phone, "phone")
    assert masked[3:7] == "****" and len(masked) == 11


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_no_masked_id_number_reveals_digits_7_to_14(number):
    assert mask(number, "id_number")[6:14] == "********"


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        mask("x", "shoe size")


def test_the_users_name_and_phone_are_declared_personal():
    assert PERSONAL_FIELDS["governance.User"] == {"full_name": "name", "phone": "phone"}
    assert masked_field(User(phone="13912345678"), "phone") == "139****5678"
    assert masked_field(User(full_name="欧阳晓明"), "full_name") == "欧***"


@pytest.mark.parametrize("number", ["11010519491231002X", "37011719800101001X"])
def test_valid_id_numbers_pass_the_check_digit(number):
    assert id_number_error(number) is None


@pytest.mark.parametrize(
    "number, message",
    [
        ("110105194912310021", "校验位"),
        ("37011719800101001", "17位数字"),
        ("3701171980010100AX", "17位数字"),
        ("", "17位数字"),
    ],
)
def test_invalid_id_numbers_are_explained(number, message):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert message in id_number_error(number)


@pytest.mark.parametrize(
    "name", ["柳桥峪村村委会", "济南钢城区梅苑物业服务有限公司", "梅苑社区居委会", "钢城区人民医院"]
)
def test_an_organisations_name_is_not_personal_and_is_shown(name):
    assert mask(name, "name") == name


@pytest.mark.parametrize("name", ["张中心", "王公司", "李村委", "欧阳娜娜"])
def test_a_persons_name_that_merely_ends_like_an_organisation_stays_masked(name):
    assert mask(name, "name") == name[0] + "*" * (len(name) - 1)


def test_a_party_declared_an_organisation_shows_its_name_and_address_but_not_its_phone():
    from disputes.models import CaseParty

    company = CaseParty(
        kind=CaseParty.Kind.ORGANISATION,
        name="老王烧烤",
        phone="13912345678",
        address="钢城区府前大街18号",
    )
    assert masked_field(company, "name") == "老王烧烤"
    assert masked_field(company, "address") == "钢城区府前大街18号"
    assert masked_field(company, "phone") == "139****5678"
    person = CaseParty(name="王小明", address="钢城区艾山街道梅苑小区3号楼2单元301")
    assert masked_field(person, "name") == "王**"
    assert masked_field(person, "address") == "钢城区艾山街****"


def test_the_place_of_a_demand_is_not_a_home_address():
    from consultation.models import Demand

    assert PERSONAL_FIELDS["consultation.Demand"] == {
        "contact_name": "name",
        "contact_phone": "phone",
    }
    lamp = Demand(address="梅苑小区7号楼", contact_name="刘洋", contact_phone="13912345678")
    assert masked_field(lamp, "address") == "梅苑小区7号楼"
    assert masked_field(lamp, "contact_name") == "刘*"
