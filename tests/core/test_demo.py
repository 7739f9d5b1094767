"""The demo district is the official tree of 钢城区: real codes and names, generated grids that say
so, and idempotent loading."""

import csv

import pytest

from core.demo.district import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DIVISIONS,
    load_accounts,
    load_district,
)
from core.models import AdministrativeUnit, Membership, User

pytestmark = pytest.mark.django_db


def test_the_demo_is_the_official_tree_of_gangcheng(demo):
    count = AdministrativeUnit.objects.filter
    assert count(level="district").count() == 1
    assert count(kind="subdistrict").count() == 5
    assert count(kind="other_township").count() == 2
    assert count(level="community").count() == 41
    assert count(level="village").count() == 211
    for unit in count(level__in=["community", "village"]):
        assert unit.children.filter(level="grid").count() >= 2
    official = {
        code: (name, kind)
        for code, name, kind, _ in csv.reader(DIVISIONS.read_text().splitlines()[1:])
    }
    stored = {u.code: u for u in AdministrativeUnit.objects.exclude(level="grid")}
    assert set(stored) == set(official)
    for code, (name, _kind) in official.items():
        assert stored[code].official_name == name


def test_the_articles_units_sit_where_they_really_are(demo):
    unit = AdministrativeUnit.objects.select_related("parent").get
    assert unit(code="370117003010").name == "梅苑社区"
    assert unit(code="370117003010").parent.name == "汶源街道"
    assert unit(code="370117003001").parent.name == "汶源街道"
    assert unit(code="370117001011").parent.name == "艾山街道"
    assert unit(code="370117004223").name == "柳桥峪村"
    assert unit(code="370117004223").parent.name == "颜庄街道"
    assert unit(code="370117400000").kind == "other_township"


def test_only_grids_say_they_are_generated(demo):
    for unit in AdministrativeUnit.objects.all():
        assert "演示" not in unit.name and "演示代码" not in unit.notes
        assert ("演示生成" in unit.notes) == (unit.level == "grid")


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
    unit = AdministrativeUnit.objects.get(code=account.unit_code)
    landing = client.get("/home/")
    assert landing.status_code == 200
    html = landing.content.decode()
    if account.username in LANDS_ELSEWHERE:
        assert f'href="{LANDS_ELSEWHERE[account.username]}"' in html
        assert client.get(LANDS_ELSEWHERE[account.username]).status_code == 200
        return
    assert f'href="{unit.get_absolute_url()}"' in html
    assert account.unit_name in client.get(unit.get_absolute_url()).content.decode()


def test_the_meiyuan_accounts_are_wenyuans_now(demo, client):
    meiyuan = AdministrativeUnit.objects.get(code="370117003010")
    for username, status in (("wenyuan", 200), ("aishan", 404)):
        client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert client.get(meiyuan.get_absolute_url()).status_code == status
        client.post("/accounts/logout/")
    grid_worker = Membership.objects.get(user__username="meiyuan_grid").unit
    assert grid_worker.is_within(AdministrativeUnit.objects.get(name="汶源街道"))
