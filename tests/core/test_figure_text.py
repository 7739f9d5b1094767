"""figure_text writes a figure as Django's number format does, grouped by thousands."""

from decimal import Decimal

from django.utils import numberformat
from hypothesis import given
from hypothesis import strategies as st

from core.metrics.shown import figure_text


def django_grouped(value) -> str:
    return numberformat.format(value, ".", None, 3, ",", force_grouping=True)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_are_grouped_as_django_groups_them(value):
    assert figure_text(value) == django_grouped(value)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_decimals_are_written_as_django_writes_them(value):
    assert figure_text(value) == django_grouped(value)


def test_a_roll_of_volunteers_reads_with_a_thousands_comma():
    assert figure_text(65400) == "65,400"
    assert figure_text(Decimal("-1234567.50")) == "-1,234,567.50"
    assert figure_text(12.0) == "12"
