"""The change badge the dashboard and the projector show, now built in Python rather than by an
included template: the same markup, in either language."""

from decimal import Decimal

import pytest
from django.utils import translation

from dashboards.figures import _text_array
from dashboards.views.dashboards import _change_badge, _change_words


@pytest.mark.parametrize(
    ("language", "change", "shown"),
    [
        ("zh-hans", None, '<span class="change none">—</span>'),
        (
            "zh-hans",
            {"delta": Decimal("12.5"), "unit": "percent"},
            '<span class="change up">上升 12.5%</span>',
        ),
        (
            "zh-hans",
            {"delta": Decimal("-3.0"), "unit": "points"},
            '<span class="change down">下降 3.0 个百分点</span>',
        ),
        (
            "zh-hans",
            {"delta": Decimal("0.0"), "unit": "percent"},
            '<span class="change flat">持平</span>',
        ),
        (
            "en",
            {"delta": Decimal("0.4"), "unit": "points"},
            '<span class="change up">up 0.4 pts</span>',
        ),
        (
            "en",
            {"delta": Decimal("-50.0"), "unit": "percent"},
            '<span class="change down">down 50.0%</span>',
        ),
    ],
)
def test_the_change_badge(language, change, shown):
    with translation.override(language):
        assert _change_badge(change, _change_words()) == shown


@pytest.mark.django_db
def test_the_tally_keys_are_written_as_psycopg_writes_a_list():
    import psycopg.sql
    from django.db import connection

    keys = ("a.b", "units.grid", 'say "x"', "back\\slash", "", "NULL", "two words", "{}")
    connection.ensure_connection()
    as_list = psycopg.sql.Literal(list(keys)).as_string(connection.connection)
    assert psycopg.sql.Literal(_text_array(keys)).as_string(connection.connection) == as_list
