"""Public side of delivered projects: the unit's list, the tracking page saying "delivered",
and ratings (one per tracking code) joining the satisfaction figure."""

from datetime import timedelta

import pytest
from django.core.cache import cache

from consultation.models import ProjectRating
from core.metrics import Period, evaluate
from core.metrics.rebuild import recomputed_facts, stored_facts
from tests.consultation.helpers import (
    NAME,
    PHONE,
    deliver,
    make_demand,
    make_project,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def delivered(people, district):
    worker = people.meiyuan_worker
    demands = [
        make_demand(worker, district.meiyuan, days_ago=20, contact_name=NAME, contact_phone=PHONE),
        make_demand(worker, district.meiyuan, days_ago=15),
    ]
    return deliver(worker, make_project(worker, district.meiyuan, demands))


def window():
    return Period(today() - timedelta(days=60), today())


def test_the_tracking_page_says_delivered_and_takes_one_rating(client, delivered, district):
    demand = delivered.demands.order_by("pk").first()
    url = f"/public/demands/track/{demand.tracking_code}/"
    page = client.get(url).content.decode()
    assert "修缮小区门口道路" in page and 'name="score"' in page
    assert NAME not in page and PHONE not in page

    client.post(url + "rate/", {"score": 5, "comment": "路修得很好"})
    client.post(url + "rate/", {"score": 1})  # a second rating by the same code is ignored
    assert ProjectRating.objects.get().score == 5
    assert 'name="score"' not in client.get(url).content.decode()

    other = delivered.demands.order_by("pk").last()
    client.post(f"/public/demands/track/{other.tracking_code}/rate/", {"score": 2})
    figures = evaluate(district.aishan, window())
    assert figures["consultation.satisfaction"] == 50
    assert recomputed_facts() == stored_facts()


def test_a_project_not_delivered_cannot_be_rated(client, people, district):
    demand = make_demand(people.meiyuan_worker, district.meiyuan)
    make_project(people.meiyuan_worker, district.meiyuan, [demand])
    response = client.post(f"/public/demands/track/{demand.tracking_code}/rate/", {"score": 5})
    assert response.status_code == 302
    assert not ProjectRating.objects.exists()


def test_a_bad_score_is_refused_next_to_the_field(client, delivered):
    demand = delivered.demands.first()
    response = client.post(f"/public/demands/track/{demand.tracking_code}/rate/", {"score": 9})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not ProjectRating.objects.exists()


def test_a_units_delivered_projects_are_listed_publicly(client, delivered, district):
    for unit in (district.district, district.aishan, district.meiyuan):
        page = client.get(f"/public/projects/{unit.code}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "修缮小区门口道路" in html
        assert NAME not in html and PHONE not in html
    assert (
        "修缮小区门口道路"
        not in client.get(f"/public/projects/{district.wenyuan.code}/").content.decode()
    )
    assert client.get(f"/public/projects/{district.meiyuan_grid.code}/").status_code == 404


def test_tallies_match_a_recomputation_after_the_whole_chain(delivered):
    assert recomputed_facts() == stored_facts()


def test_a_demands_answer_reads_as_an_answer_not_a_rating(district, people, client_for):
    """ "Answer" to a resident is 答复; 评价 is the resident's rating of a delivered project."""
    from django.utils import translation

    from consultation.forms import DemandAnswerForm
    from consultation.metrics import DEMAND_COLUMNS

    with translation.override("zh-hans"):
        assert str(DemandAnswerForm.base_fields["answered_on"].label) == "答复日期"
        assert "答复日期" in [str(column.label) for column in DEMAND_COLUMNS]
        from django.template import Context, Template

        html = Template('{% load i18n %}{% translate "Answer" context "demand" %}').render(
            Context()
        )
        assert html == "答复"


def test_a_listed_projects_row_is_escaped_masked_and_counts_its_ratings(client, delivered):
    """The rows are written in the view: the title and funding source escaped and masked as the
    template's `redacted` did, the figures as the template showed them."""
    from consultation.models import LivelihoodProject

    LivelihoodProject.objects.filter(pk=delivered.pk).update(
        title=f"<b>加装电梯</b> 联系{PHONE}",
        funding_source="居民自筹 & 补助",
        cost="12500.50",
        beneficiaries=120,
    )
    ProjectRating.objects.create(
        project=delivered, demand=delivered.demands.first(), unit=delivered.unit, score=5
    )
    html = client.get(f"/public/projects/{delivered.unit.code}/").content.decode()
    row = html[html.index('<li class="demand-item">') :].split("</li>")[0]
    assert f'href="/public/projects/{delivered.unit.code}/{delivered.pk}/"' in row
    assert "&lt;b&gt;加装电梯&lt;/b&gt;" in row and PHONE not in row
    assert "居民自筹 &amp; 补助" in row and "12500.50" in row
    assert "120" in row and ("1 of 1" in row or "1条评价中1条满意" in row)
