"""Free text is scanned for mobile and ID numbers as people type them (spaces, hyphens, +86/0086,
full-width digits) and each is masked through the one masking function; ordinary numbers stay."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.privacy import mask
from core.redaction import redact

REPRO = {
    "+8613912345678": "139****5678",
    "１３９１２３４５６７８": "139****5678",
    "139 1234 5678": "139****5678",
    "139-1234-5678": "139****5678",
    "370117 19900101 8702": "370117********8702",
}


@pytest.mark.parametrize("typed, masked", REPRO.items())
def test_each_form_of_the_reported_post_is_masked(typed, masked):
    assert redact(f"低保户联系方式：{typed}。") == f"低保户联系方式：{masked}。"


@pytest.mark.parametrize(
    "typed, masked",
    [
        ("+86 139 1234 5678", "139****5678"),
        ("+86-139-1234-5678", "139****5678"),
        ("0086 13912345678", "139****5678"),
        ("００８６１３９１２３４５６７８", "139****5678"),
        ("＋８６ １３９ １２３４ ５６７８", "139****5678"),
        ("139 － 1234 － 5678", "139****5678"),
        ("13912345678", "139****5678"),
        ("370117-19900101-870x", "370117********870X"),
        ("３７０１１７１９９００１０１８７０Ｘ", "370117********870X"),
        ("370117199001018702", "370117********8702"),
    ],
)
def test_other_ways_of_writing_them_are_masked_the_same(typed, masked):
    assert redact(f"电话{typed}，请核实") == f"电话{masked}，请核实"


@pytest.mark.parametrize(
    "text",
    [
        "本月支出12345.67元",
        "支出合计 1234567.89 元",
        "2026-01-01 起公示",
        "2026年第三季度",
        "单位代码370117003010",
        "网格编码 370117001001003",
        "办公电话0634-6012345",
        "编号12345678901",
        "合同号139123456789",
        "统一社会信用代码 91370117MA3C123456",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert redact(text) == text


def test_the_masking_function_reads_the_typed_forms_itself():
    assert mask("+86 139-1234-5678", "phone") == "139****5678"
    assert mask("１３９１２３４５６７８", "phone") == "139****5678"
    assert mask("370117 19900101 870x", "id_number") == "370117********870X"
    assert mask("0634-6012345", "phone") == "063****2345"


FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)} | {"X": "Ｘ", "x": "ｘ"}
SEPARATORS = ["", " ", "  ", "-", " - ", "\u3000", "－", "–"]
PREFIXES = ["", "+86", "+86 ", "+86-", "0086", "0086 ", "＋８６", "００８６ "]
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCTUATION = st.sampled_from("，。：；、（）！？ ")
FRAGMENT = st.text(alphabet=CHINESE | PUNCTUATION, max_size=12)
# Between two numbers there is at least one word, not only a space.
INNER_FRAGMENT = FRAGMENT.filter(lambda text: text.strip())


@st.composite
def typed(draw, text: str) -> str:
    """`text` as someone might type it: some digits full-width."""
    wide = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(FULL_WIDTH.get(c, c) if w else c for c, w in zip(text, wide, strict=True))


@st.composite
def mobiles(draw) -> tuple[str, str, str]:
    digits = draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
    first, second = draw(st.sampled_from(SEPARATORS)), draw(st.sampled_from(SEPARATORS))
    grouped = f"{digits[:3]}{first}{digits[3:7]}{second}{digits[7:]}"
    written = draw(typed(draw(st.sampled_from(PREFIXES)) + grouped))
    return written, digits, f"{digits[:3]}****{digits[-4:]}"


@st.composite
def id_numbers(draw) -> tuple[str, str, str]:
    number = draw(st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True))
    first, second = draw(st.sampled_from(SEPARATORS)), draw(st.sampled_from(SEPARATORS))
    written = draw(typed(f"{number[:6]}{first}{number[6:14]}{second}{number[14:]}"))
    return written, number.upper(), f"{number[:6]}********{number[14:].upper()}"


def _flattened(text: str) -> str:
    """Digits as a reader would run them together: ASCII, separators between them dropped."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=[0-9])[\s\-\u2010-\u2014\ufe63]+(?=[0-9])", "", text)


@given(
    numbers=st.lists(st.one_of(mobiles(), id_numbers()), min_size=1, max_size=4),
    outer=st.tuples(FRAGMENT, FRAGMENT),
    inner=st.lists(INNER_FRAGMENT, min_size=3, max_size=3),
)
def test_no_typed_mobile_or_id_number_survives_in_a_sentence(numbers, outer, inner):
    fragments = [outer[0], *inner[: len(numbers) - 1], outer[1]]
    text = fragments[0] + "".join(
        written + after for (written, _d, _m), after in zip(numbers, fragments[1:], strict=True)
    )
    expected = fragments[0] + "".join(
        masked + after for (_w, _d, masked), after in zip(numbers, fragments[1:], strict=True)
    )

    redacted = redact(text)

    assert redacted == expected
    flat = _flattened(redacted)
    for _written, digits, _masked in numbers:
        assert digits not in flat.upper()
    assert max((len(run) for run in re.findall(r"[0-9]+", flat)), default=0) <= 6


@given(
    st.one_of(
        st.from_regex(r"[1-9][0-9]{0,6}\.[0-9]{2}", fullmatch=True),
        st.from_regex(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", fullmatch=True),
        st.from_regex(r"(19|20)[0-9]{2}年", fullmatch=True),
        st.from_regex(r"[0-9]{12}", fullmatch=True),
        st.from_regex(r"0[0-9]{2,3}-[2-9][0-9]{6,7}", fullmatch=True),
    ),
    FRAGMENT,
    FRAGMENT,
)
def test_amounts_dates_years_codes_and_landlines_are_not_masked(number, before, after):
    text = f"{before}{number}{after}"
    assert redact(text) == text
