"""Every form the crawler finds, posted arbitrary text, numbers, dates and unicode (RTL marks,
very long strings, NUL-free control characters) in every field: never a 500. The forms come from
crawling the demo district as each kind of user, so forms added later are fuzzed too."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import User
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "99999999999999999999",
        "2026-02-30",
        "0000-00-00",
        "\u202e\u200f反向",
        "😀" * 50,
        "x" * 10_000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "%s%s%n",
        "\ufeff",
    ]
)
VALUE = st.one_of(
    NASTY,
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=300,
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)


def _fuzz(client: Client, form) -> None:
    names = sorted(form.fields)

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        st.fixed_dictionaries(
            {name: st.one_of(st.just(form.fields[name]), VALUE) for name in names}
        )
    )
    def post(data):
        response = client.post(form.action, data)
        assert response.status_code < 500, (form.action, data)

    post()


@pytest.mark.parametrize("username", [None, "district", "aishan", "meiyuan_grid"])
def test_no_form_answers_arbitrary_input_with_a_500(demo_district, username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    starts = ["/", "/public/figures/"] if username is None else ["/home/", "/dashboard/"]
    found = crawl(client, starts, per_route=2)
    forms = [f for path, f in sorted(found.forms.items()) if not path.startswith("/accounts/")]
    if username:
        assert forms, "the crawl found no form to fuzz"
    for form in forms:
        _fuzz(client, form)
