"""Personal data: declared once, and shown on every output path through `mask`.

Phone 138****5678; ID number 370117********1234 (digits 7-14, the birth date, always hidden);
name 张*; address: the first six characters, then ****.

Organisations are not personal data: a company or a 村委会 named where a person's name could be (a
party to a dispute, whoever a finding is assigned to) is shown as it is, and so is its address. A
record says it names an organisation through the attribute given as `organisation=` to
`personal_data`; a name typed as free text is taken for an organisation when it ends the way
organisations' names end (…有限公司, …村委会, …合作社). Their phones and numbers stay masked.
"""

import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "PERSONAL_FIELDS",
    "personal_data",
    "is_organisation_name",
    "kind_of",
    "mask",
    "masked_field",
    "reveal",
    "id_number_error",
    "validate_id_number",
    "user_display_name",
]

PHONE, ID_NUMBER, NAME, ADDRESS = "phone", "id_number", "name", "address"
KINDS = {PHONE, ID_NUMBER, NAME, ADDRESS}

# model label -> {field name: kind}
PERSONAL_FIELDS: dict[str, dict[str, str]] = {}
# model label -> the attribute that is true when the record names an organisation
ORGANISATION_FLAGS: dict[str, str] = {}
# Kinds that an organisation does not have as personal data.
NOT_PERSONAL_FOR_ORGANISATIONS = {NAME, ADDRESS}

# Endings of organisations' names. Those of two characters only count in a name of five or more,
# since a person's given name may end the same way (张中心).
_ORGANISATION_ENDINGS = (
    "有限公司", "有限责任公司", "村民委员会", "居民委员会", "委员会", "村委会", "居委会", "两委",
    "合作社", "办事处", "派出所", "司法所", "卫生院", "卫生室", "幼儿园", "服务站", "服务中心",
    "管理处", "事务所", "联合会", "工作室",
)  # fmt: skip
_SHORT_ENDINGS = (
    "公司", "物业", "中心", "超市", "商店", "饭店", "酒店", "医院", "学校", "银行", "集团",
    "协会", "工厂", "街道", "社区", "小学", "中学", "法院", "政府",
)  # fmt: skip

audit = logging.getLogger("portal.audit")


def personal_data(*, organisation: str | None = None, **fields: str):
    """Class decorator declaring which fields of a model hold personal data, and of what kind;
    `organisation` names an attribute that is true when the record is an organisation."""

    def declare(model):
        unknown = set(fields.values()) - KINDS
        if unknown:
            raise ValueError(f"unknown personal-data kinds: {unknown}")
        PERSONAL_FIELDS[model._meta.label] = dict(fields)
        if organisation:
            ORGANISATION_FLAGS[model._meta.label] = organisation
        return model

    return declare


def is_organisation_name(value) -> bool:
    text = "" if value is None else str(value).strip()
    if text.endswith(_ORGANISATION_ENDINGS) and len(text) >= 3:
        return True
    return len(text) >= 5 and text.endswith(_SHORT_ENDINGS)


def kind_of(instance, field: str) -> str | None:
    """The personal-data kind of the instance's field, or None when it holds none."""
    label = instance._meta.label
    kind = PERSONAL_FIELDS.get(label, {}).get(field)
    flag = ORGANISATION_FLAGS.get(label)
    if kind in NOT_PERSONAL_FOR_ORGANISATIONS and flag and getattr(instance, flag):
        return None
    return kind


def user_display_name(user) -> str:
    """The one way every output (page, timeline, export, message) names a portal user: an
    official is a person, so their full name is masked like any name (张*); an account without
    one is named by its login name."""
    if user is None:
        return ""
    full_name = getattr(user, "full_name", "")
    return mask(full_name, NAME) if full_name else user.get_username()


def mask(value, kind: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if kind == PHONE:
        digits = _national("".join(_digits(text)))
        if len(digits) >= 7:
            return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
        return "*" * len(digits or text)
    if kind == ID_NUMBER:
        text = "".join(_digits(text, keep="Xx")).upper() or text
        if len(text) >= 14:
            return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"
        return "*" * len(text)
    if kind == NAME:
        if is_organisation_name(text):
            return text
        return text[0] + "*" * max(len(text) - 1, 1)
    if kind == ADDRESS:
        return text[:6] + "****"
    raise ValueError(f"unknown personal-data kind: {kind}")


def _digits(text: str, keep: str = ""):
    """The digits typed in any width or script, as ASCII, without separators or a "+"."""
    for char in unicodedata.normalize("NFKC", text):
        if char.isdecimal():
            yield str(unicodedata.decimal(char))
        elif char in keep:
            yield char


def _national(digits: str) -> str:
    """A mobile typed with its country code (+86, 0086) without it."""
    for code in ("0086", "86"):
        if digits.startswith(code + "1") and len(digits) == len(code) + 11:
            return digits[len(code) :]
    return digits


def masked_field(instance, field: str) -> str:
    kind = kind_of(instance, field)
    value = getattr(instance, field)
    return mask(value, kind) if kind else ("" if value is None else str(value))


def reveal(instance, field: str, *, by, reason: str) -> str:
    """The unmasked value, for a role that needs it; every reveal is logged."""
    audit.info(
        "reveal %s.%s pk=%s by user=%s reason=%s",
        instance._meta.label,
        field,
        instance.pk,
        getattr(by, "pk", None),
        reason,
    )
    value = getattr(instance, field)
    return "" if value is None else str(value)


_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_number_error(value: str) -> str | None:
    """GB 11643: 17 digits and a check character computed from them."""
    text = (value or "").strip().upper()
    if len(text) != 18 or not text[:17].isdigit() or text[17] not in "0123456789X":
        return str(_("An ID number has 17 digits followed by a digit or X."))
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != text[17]:
        return str(_("This ID number's check digit is wrong; please check it."))
    return None


def validate_id_number(value: str) -> None:
    error = id_number_error(value)
    if error:
        raise ValidationError(error, code="id_number")
