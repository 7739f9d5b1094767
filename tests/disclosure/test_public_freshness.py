"""The public village pages are cached under a generation, and every change they show makes a
new one at once: a unit renamed, a decision recorded, a survey set up, a supervisor added (a
published post or correction, a decision step, a signed-off finding and a survey answer already
did). A correction still awaiting review is not announced. The generation never returns to a
number it had, even when its key is lost."""

import uuid
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.public_pages import PUBLIC_GENERATION_KEY, public_changed, public_generation
from core.services.units import unit_update
from disclosure.services.disclosure import post_correct, post_submit
from disclosure.services.surveys import survey_create
from tests.disclosure.helpers import published_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def page(client, name: str, *args) -> str:
    response = client.get(reverse(f"public:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_a_correction_awaiting_review_is_not_announced(client, district, people):
    clerk, village = people.village_clerk, district.liuqiaoyu
    original = published_post(village, clerk, people.supervisor)
    post_submit(post=post_correct(post=original, by=clerk, reason="金额有误"), by=clerk)
    assert "已更正" not in page(client, "village", village.code)
    assert "已更正" not in page(client, "post", village.code, original.pk)


def renamed(district, people, client_for):
    village = district.liuqiaoyu
    unit_update(
        by=people.district_staff, unit=village, version=village.version, name="柳桥新村", notes=""
    )
    return "villages", [], "柳桥新村"


def decision_recorded(district, people, client_for):
    fields = {
        "unit": district.liuqiaoyu.pk,
        "title": "修建村口停车场",
        "summary": "村两委提议在村口修建停车场。",
        "submission_key": uuid.uuid4(),
    }
    answer = client_for(people.village_clerk).post(reverse("governance:decision_create"), fields)
    assert answer.status_code == 302
    return "village", [district.liuqiaoyu.code], "修建村口停车场"


def survey_set_up(district, people, client_for):
    survey_create(
        by=people.village_clerk,
        unit=district.liuqiaoyu,
        title="2026年村务满意度调查",
        question="您对本村村务公开满意吗？",
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        households=3,
    )
    return "village", [district.liuqiaoyu.code], "2026年村务满意度调查"


def member_added(district, people, client_for):
    fields = {
        "unit": district.liuqiaoyu.pk,
        "name": "王五",
        "kind": "observer",
        "since": "2026-01-01",
    }
    answer = client_for(people.supervisor).post(reverse("governance:member_create"), fields)
    assert answer.status_code == 302
    return "village", [district.liuqiaoyu.code], "村居建设观察员1名"


@pytest.mark.parametrize("change", [renamed, decision_recorded, survey_set_up, member_added])
def test_every_change_a_village_page_shows_refreshes_it(
    client, client_for, district, people, change
):
    before = {
        "villages": page(client, "villages"),
        "village": page(client, "village", district.liuqiaoyu.code),
    }
    name, args, shown = change(district, people, client_for)
    assert shown not in before[name]
    assert shown in page(client, name, *args)


def test_a_lost_generation_never_comes_back_to_a_number_it_had():
    had = {public_generation()}
    public_changed()
    had.add(public_generation())
    cache.delete(PUBLIC_GENERATION_KEY)  # evicted, culled or cleared
    assert public_generation() not in had
