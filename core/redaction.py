"""Free text that goes public (a 低保 list typed into a post, a note on a fund line) may carry an
ID number or a mobile number: they are masked through `core.privacy.mask` on the way in
and again on every public output."""

import re

from core.privacy import ID_NUMBER, PHONE, mask

__all__ = ["ID_PATTERN", "PHONE_PATTERN", "redact"]

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def redact(text):
    if not text:
        return text
    text = ID_PATTERN.sub(lambda m: mask(m.group(0), ID_NUMBER), str(text))
    return PHONE_PATTERN.sub(lambda m: mask(m.group(0), PHONE), text)
