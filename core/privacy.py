"""Personal data: declared once, and shown on every output path through `mask`.

Phone 138****5678; ID number 370117********1234 (digits 7-14, the birth date, always hidden);
name 张*; address: the first six characters, then ****.
"""

import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "PERSONAL_FIELDS",
    "personal_data",
    "mask",
    "masked_field",
    "reveal",
    "id_number_error",
    "validate_id_number",
]

PHONE, ID_NUMBER, NAME, ADDRESS = "phone", "id_number", "name", "address"
KINDS = {PHONE, ID_NUMBER, NAME, ADDRESS}

# model label -> {field name: kind}
PERSONAL_FIELDS: dict[str, dict[str, str]] = {}

audit = logging.getLogger("portal.audit")


def personal_data(**fields: str):
    """Class decorator declaring which fields of a model hold personal data, and of what kind."""

    def declare(model):
        unknown = set(fields.values()) - KINDS
        if unknown:
            raise ValueError(f"unknown personal-data kinds: {unknown}")
        PERSONAL_FIELDS[model._meta.label] = dict(fields)
        return model

    return declare


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
    kind = PERSONAL_FIELDS.get(instance._meta.label, {}).get(field)
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
