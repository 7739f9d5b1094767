"""The volunteer network as organisations attached to units, on the real tree of 钢城区
(data/gangcheng-divisions-2023.csv): 1 federation, 6 street alliances over the 7 township-level
units, 22 community alliances over the 41 residents' committees, 220 service points over the
211 villages; each seen by whoever holds its home unit or a unit it serves."""

import csv
import random
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from core.metrics import Period, evaluate
from core.models import AdministrativeUnit, Membership, UnitLevel, User
from core.models.tallies import apply_fact_changes
from volunteers.demo import NETWORK_SEED, create_network, plan_network
from volunteers.models import NetworkLevel, NetworkNode, NetworkService

pytestmark = pytest.mark.django_db

CSV = Path("/work/shared/data/gangcheng-divisions-2023.csv")
LEVELS = {
    "区县": UnitLevel.DISTRICT,
    "街道": UnitLevel.STREET,
    "其他乡级单位": UnitLevel.STREET,
    "居民委员会": UnitLevel.COMMUNITY,
    "村民委员会": UnitLevel.VILLAGE,
}
SUFFIX = re.compile(r"(居民委员会|村民委员会|村民委会|村民村委会)$")
FOUNDED = date(2024, 3, 5)
QISHAN, YANZHUANG = "370117400000", "370117004000"


@pytest.fixture
def real_tree(db) -> dict[str, AdministrativeUnit]:
    """The real tree, loaded by a minimal loader (code, short name, level), its network built."""
    if not CSV.exists():
        pytest.skip("the divisions file is not on this machine")
    units: dict[str, AdministrativeUnit] = {}
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            unit = AdministrativeUnit(
                code=row["code"],
                name=SUFFIX.sub("", row["name"]),
                level=LEVELS[row["kind"]],
                parent=units.get(row["parent_code"]),
                created_on=date(2020, 1, 1),
            )
            unit.save()
            units[unit.code] = unit
    nodes = create_network(FOUNDED)
    apply_fact_changes([], [f for n in nodes for f in n.tally_facts()])
    return units


def person(username: str, unit: AdministrativeUnit, role: str) -> User:
    user = User.objects.create_user(username=username, password="x-Password-2026")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def test_the_network_on_the_real_tree_is_1_6_22_220(real_tree):
    district = real_tree["370117000000"]
    figures = evaluate(district, Period(date(2025, 1, 1), date(2025, 12, 31)))
    assert [figures[f"volunteers.{level}"] for level in NetworkLevel.values] == [1, 6, 22, 220]
    by_level = Counter(NetworkNode.objects.values_list("level", flat=True))
    assert [by_level[level] for level in NetworkLevel.values] == [1, 6, 22, 220]

    def served(level: str) -> Counter:
        return Counter(
            NetworkService.objects.filter(node__level=level).values_list("unit__code", flat=True)
        )

    def codes(level: str) -> set[str]:
        return {u.code for u in real_tree.values() if u.level == level}

    # Every township-level unit and every community served exactly once; every village at least.
    streets, communities, villages = (
        codes(UnitLevel.STREET),
        codes(UnitLevel.COMMUNITY),
        codes(UnitLevel.VILLAGE),
    )
    assert (len(streets), len(communities), len(villages)) == (7, 41, 211)
    assert served(NetworkLevel.STREET) == Counter(streets)
    assert served(NetworkLevel.COMMUNITY) == Counter(communities)
    points = served(NetworkLevel.VILLAGE)
    assert set(points) == villages
    assert sorted(Counter(points.values()).items()) == [(1, 202), (2, 9)]

    # 颜庄街道's alliance also serves 棋山国家森林公园; a node serves its home unit.
    yanzhuang = NetworkNode.objects.get(level=NetworkLevel.STREET, unit__code=YANZHUANG)
    assert yanzhuang.name == "颜庄街道志愿服务联盟"
    assert {u.code for u in yanzhuang.serves.all()} == {YANZHUANG, QISHAN}
    for node in NetworkNode.objects.prefetch_related("serves"):
        served_units = list(node.serves.all())
        assert node.unit in served_units
        # A community alliance serves neighbours: one to three of one street's committees.
        if node.level == NetworkLevel.COMMUNITY:
            assert 1 <= len(served_units) <= 3
            assert {u.parent_id for u in served_units} == {node.unit.parent_id}
            assert node.name.endswith(
                "等社区志愿服务联盟" if len(served_units) > 1 else "社区志愿服务联盟"
            )
    assert NetworkNode.objects.filter(name="北城子坡等社区志愿服务联盟").exists()
    assert NetworkNode.objects.filter(name__endswith="志愿服务站（二站）").count() == 9
    names = Counter(NetworkNode.objects.values_list("name", flat=True))
    assert [n for n, c in names.items() if c > 1] == []
    assert len(names) == 249

    # Deterministic: the same seed plans the same network again.
    again = [(p.name, p.home.code) for p in plan_network(random.Random(NETWORK_SEED))]
    assert again == list(NetworkNode.objects.order_by("pk").values_list("name", "unit__code"))


def test_a_node_is_seen_from_its_home_unit_and_from_the_units_it_serves(real_tree, client_for):
    qishan = real_tree[QISHAN]
    official = person("qishan", qishan, "street_official")
    seen = set(NetworkNode.objects.for_user(official).values_list("name", flat=True))
    assert "颜庄街道志愿服务联盟" in seen  # home 颜庄街道 lies outside the official's scope
    assert "艾山街道志愿服务联盟" not in seen
    assert "钢城区志愿服务联合会" not in seen

    client = client_for(official)
    page = client.get("/volunteers/network/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "颜庄街道志愿服务联盟" in html
    assert f'href="{qishan.get_absolute_url()}"' in html
    assert f'href="{real_tree[YANZHUANG].get_absolute_url()}"' not in html  # named, not linked
    for link in set(re.findall(r'href="(/units/[^"]+)"', html)):
        assert client.get(link).status_code == 200, link

    unit_page = client.get(qishan.get_absolute_url()).content.decode()
    assert 'id="volunteer-network"' in unit_page
    assert "颜庄街道志愿服务联盟" in unit_page

    # A residents' committee served by an alliance whose home is its neighbour.
    alliance = next(
        n
        for n in NetworkNode.objects.filter(level=NetworkLevel.COMMUNITY).prefetch_related("serves")
        if n.serves.count() > 1
    )
    neighbour = next(u for u in alliance.serves.all() if u != alliance.unit)
    worker = person("neighbour", neighbour, "community_worker")
    assert NetworkNode.objects.for_user(worker).filter(pk=alliance.pk).exists()
    client = client_for(worker)
    unit_page = client.get(neighbour.get_absolute_url()).content.decode()
    assert alliance.name in unit_page and alliance.unit.name in unit_page
    card = client.get("/volunteers/").content.decode()
    assert "/volunteers/network/" in card


def test_the_district_sees_the_whole_network(real_tree, client_for):
    staff = person("staff", real_tree["370117000000"], "district_staff")
    page = client_for(staff).get("/volunteers/network/")
    assert page.status_code == 200
    assert [len(level["rows"]) for level in page.context["levels"]] == [1, 6, 22, 220]
