"""Free text that goes public (a 低保 list typed into a post, a note on a fund line) may carry an
ID number or a mobile number, written the way people write them: `139 1234 5678`, `139-1234-5678`,
`+86 13912345678`, `0086…`, full-width `１３９…`, `370117 19900101 8702`. Every public output
passes its free text through `redact`, which masks each one through `core.privacy.mask`:
`139****5678`, `370117********8702`, whatever separators were typed.

Only mobiles (1[3-9] and eleven digits, grouped 3-4-4) and ID numbers (eighteen characters, grouped
6-8-4, the last may be X) are recognised: amounts, dates, years, unit codes and landlines stay.

A name cannot be recognised in free text by its shape. What can be done is done: the names the
portal holds for the record (`names`: a demand's contact, a hazard's reporter) are masked wherever
they were typed, whole or by the given name alone, and so is a name written after a label that
announces one (姓名：, 联系人：, 我叫). A name of someone else typed without such a label stays;
outputs that cannot risk that (public pages) show no resident's free text at all."""

import re

from core.privacy import ID_NUMBER, NAME, PHONE, is_organisation_name, mask

__all__ = ["ID_PATTERN", "PHONE_PATTERN", "redact"]

_HAN_NAME = "[\u4e00-\u9fff]{2,4}"
NAMED_PATTERN = re.compile(
    "(?P<label>(?:姓名|联系人|报告人|反映人|居民)[:：]\\s*|我叫)(?P<name>" + _HAN_NAME + ")"
)

_DIGIT = "[0-9０-９]"
_NOT_AFTER_DIGIT = "(?<![0-9０-９])"
_NOT_BEFORE_DIGIT = "(?![0-9０-９])"
_SPACE = "[ \u00a0\u3000]"
# Between two groups: nothing, a space or two, or a hyphen or dash with a space either side.
_SEP = f"(?:{_SPACE}{{1,2}}|{_SPACE}?[-\u2010\u2011\u2013\u2014\ufe63\uff0d]{_SPACE}?)?"


def _digits(n: int) -> str:
    return f"{_DIGIT}{{{n}}}"


ID_PATTERN = re.compile(
    _NOT_AFTER_DIGIT
    + _digits(6)
    + _SEP
    + _digits(8)
    + _SEP
    + _digits(3)
    + "[0-9０-９XxＸｘ]"
    + "(?![0-9０-９XxＸｘ])"
)
PHONE_PATTERN = re.compile(
    _NOT_AFTER_DIGIT
    + f"(?:(?:[+＋]|[0０]{{2}})?[8８][6６]{_SEP})?"
    + "[1１][3-9３-９]"
    + _digits(1)
    + _SEP
    + _digits(4)
    + _SEP
    + _digits(4)
    + _NOT_BEFORE_DIGIT
)


def redact(text, names=()):
    """The text with ID numbers and mobiles masked, and the `names` given (and any name after a
    label such as 姓名：) masked too."""
    if not text:
        return text
    text = ID_PATTERN.sub(lambda m: mask(m.group(0), ID_NUMBER), str(text))
    text = PHONE_PATTERN.sub(lambda m: mask(m.group(0), PHONE), text)
    for name in sorted({str(n).strip() for n in names if n}, key=len, reverse=True):
        if len(name) < 2 or is_organisation_name(name):
            continue
        text = text.replace(name, mask(name, NAME))
        given = name[1:]
        if len(given) >= 2:
            text = text.replace(given, mask(given, NAME))
    return NAMED_PATTERN.sub(lambda m: m.group("label") + mask(m.group("name"), NAME), text)
