"""The case list: filters in the URL, in place with htmx, keyset pages, a masked XLSX export."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from disputes.models import DisputeCase
from disputes.services import case_move
from tests.disputes.helpers import PARTY, category, log_case

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.cn","点我")'


@pytest.fixture
def cases(district, people):
    today = date.today()
    made = [
        log_case(
            people.district_staff, district.meiyuan_grid, received_on=today - timedelta(days=n)
        )
        for n in range(0, 60, 2)
    ]
    made.append(
        log_case(people.district_staff, district.honggou, source="petition", received_on=today)
    )
    return made


def test_the_list_shows_only_cases_in_scope(cases, people, client_for):
    response = client_for(people.aishan_official).get("/cases/")
    assert response.context["total"] == 30
    assert "370117003" not in response.content.decode()


def test_filters_live_in_the_url_and_answer_htmx_with_the_fragment(
    cases, people, client_for, htmx_headers
):
    client = client_for(people.district_staff)
    response = client.get("/cases/?source=petition", headers=htmx_headers)
    html = response.content.decode()
    assert response.context["total"] == 1 and "<html" not in html and 'id="results"' in html
    page = client.get("/cases/?source=petition").content.decode()
    assert "<html" in page


def test_the_overdue_filter_shows_cases_open_more_than_30_days(cases, people, client_for):
    response = client_for(people.district_staff).get("/cases/?overdue=on")
    rows = response.context["page"].rows
    assert rows and all(c.days_open() > 30 and c.is_open for c in rows)
    assert response.context["total"] == len([c for c in cases if c.days_open() > 30])


def test_a_unit_filter_takes_its_subtree(cases, district, people, client_for):
    response = client_for(people.district_staff).get(f"/cases/?unit={district.meiyuan.code}")
    assert response.context["total"] == 30


def test_a_bad_filter_is_explained_and_lists_nothing(cases, people, client_for):
    response = client_for(people.district_staff).get("/cases/?received_from=2026-13-45")
    assert response.status_code == 200
    assert "received_from" in response.context["form"].errors and response.context["total"] == 0


def test_keyset_pages_walk_every_case_once(cases, people, client_for):
    client = client_for(people.district_staff)
    seen, url = [], "/cases/?size=25"
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [c.pk for c in page.rows]
        url = f"/cases/?size=25&after={page.next_cursor}" if page.next_cursor else None
    assert sorted(seen) == sorted(c.pk for c in cases) and len(seen) == len(set(seen))


def test_a_page_costs_the_same_number_of_queries_wherever_it_is(
    cases, people, client_for, django_assert_max_num_queries
):
    client = client_for(people.district_staff)
    first = client.get("/cases/?size=25")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/cases/?size=25")
    with CaptureQueriesContext(connection) as two:
        client.get(f"/cases/?size=25&after={first.context['page'].next_cursor}")
    assert len(one) == len(two)


def test_a_nonsense_cursor_starts_from_the_top(cases, people, client_for):
    response = client_for(people.district_staff).get("/cases/?after=yesterday_abc")
    assert response.status_code == 200 and response.context["page"].is_first


def test_the_export_holds_the_filtered_cases_masked(cases, people, client_for):
    response = client_for(people.district_staff).get("/cases/export/?source=petition")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    text = str(values)
    assert "张*" in text and "张三" not in text and "13812345678" not in text
    numbers = [row[0] for row in values if row and str(row[0]).startswith("370117")]
    assert numbers == [c.number for c in DisputeCase.objects.filter(source="petition")]


def test_the_export_of_another_street_is_empty_not_leaked(cases, people, client_for):
    response = client_for(people.wenyuan_official).get("/cases/export/")
    text = str(list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)))
    assert "370117001-" not in text and "370117003-" in text


def test_another_streets_case_its_fragment_and_actions_are_404(
    cases, district, people, client_for, htmx_headers
):
    other = DisputeCase.objects.get(source="petition")
    client = client_for(people.aishan_official)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url(), headers=htmx_headers).status_code == 404
    for action in ("move", "sessions", "agreement", "visits"):
        assert (
            client.post(
                f"/cases/{other.number}/{action}/", {"move": "mediate", "version": 1}
            ).status_code
            == 404
        )
    assert client.get(f"/cases/{other.number}/agreement/photo/").status_code == 404


def test_the_status_filter(cases, people, client_for):
    case = cases[0]
    case_move(
        by=people.district_staff, case=case, move="resolve", version=1, resolved_on=date.today()
    )
    response = client_for(people.district_staff).get("/cases/?status=resolved")
    assert [c.pk for c in response.context["page"].rows] == [case.pk]


def test_another_grids_worker_gets_404_and_an_export_without_the_case(
    district, people, client_for, htmx_headers
):
    from core.models import Membership, User

    other = User.objects.create_user(username="grid2", password="x-Long-Password-1")
    Membership.objects.create(user=other, unit=district.meiyuan_grid2, role="grid_worker")
    case = log_case(people.grid_worker, district.meiyuan_grid)
    client = client_for(other)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(case.get_absolute_url(), headers=htmx_headers).status_code == 404
    assert client.get("/cases/", headers=htmx_headers).context["total"] == 0
    exported = str(
        list(
            load_workbook(BytesIO(client.get("/cases/export/").content)).active.iter_rows(
                values_only=True
            )
        )
    )
    assert case.number not in exported


def test_a_party_or_category_typed_as_a_formula_is_exported_as_text(district, people, client_for):
    log_case(
        people.district_staff,
        district.meiyuan_grid,
        parties=[{**PARTY, "name": "=1+1"}],
    )
    DisputeCase.objects.update(category=category(FORMULA))
    response = client_for(people.district_staff).get("/cases/export/")
    cells = [c for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "=***" in texts and FORMULA in texts
