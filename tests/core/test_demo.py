"""The demo district: the article's names, 12-digit codes, honest notes, and idempotent loading."""

import pytest

from core.demo.district import DEMO_ACCOUNTS, DEMO_PASSWORD, load_accounts, load_district
from core.models import AdministrativeUnit, Membership, User

pytestmark = pytest.mark.django_db


def test_the_demo_has_six_streets_22_communities_and_220_villages(demo):
    count = AdministrativeUnit.objects.filter
    assert count(level="district").count() == 1
    assert count(level="street").count() == 6
    assert count(level="community").count() == 22
    assert count(level="village").count() == 220
    for unit in count(level__in=["community", "village"]):
        assert unit.children.filter(level="grid").count() >= 2


def test_the_articles_units_carry_their_names(demo):
    parent = dict(AdministrativeUnit.objects.values_list("name", "parent__name"))
    assert parent["艾山街道"] == parent["颜庄街道"] == parent["汶源街道"] == "钢城区"
    assert parent["梅苑社区"] == parent["永兴社区"] == "艾山街道"
    assert parent["洪沟社区"] == "汶源街道"
    assert parent["柳桥峪村"] == "颜庄街道"


def test_codes_follow_the_12_digit_layout_and_unknown_codes_say_so(demo):
    aishan = AdministrativeUnit.objects.get(name="艾山街道")
    assert aishan.code == "370117001000" and "演示代码" not in aishan.notes
    assert "演示代码" in AdministrativeUnit.objects.get(name="汶源街道").notes
    for unit in AdministrativeUnit.objects.exclude(level="grid"):
        assert len(unit.code) == 12 and unit.code.startswith("370117")
        if unit.parent:
            assert unit.code.startswith(
                unit.parent.code[: 6 if unit.parent.level == "district" else 9]
            )


def test_loading_twice_adds_nothing(demo):
    counts = (AdministrativeUnit.objects.count(), User.objects.count(), Membership.objects.count())
    load_district()
    load_accounts()
    assert counts == (
        AdministrativeUnit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


# A judge may not open the district's page: their work links to the competitions they score.
LANDS_ELSEWHERE = {"judge": "/competitions/"}


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_account_logs_in_and_lands_on_its_work(demo, client, account):
    response = client.post(
        "/accounts/login/", {"username": account.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    unit = AdministrativeUnit.objects.get(name=account.unit_name)
    landing = client.get("/home/")
    assert landing.status_code == 200
    html = landing.content.decode()
    if account.username in LANDS_ELSEWHERE:
        assert f'href="{LANDS_ELSEWHERE[account.username]}"' in html
        assert client.get(LANDS_ELSEWHERE[account.username]).status_code == 200
        return
    assert f'href="{unit.get_absolute_url()}"' in html
    assert account.unit_name in client.get(unit.get_absolute_url()).content.decode()
