"""The volunteers' small world on top of the shared district: a team at 洪沟社区 led by the
personas' volunteer leader, its members, a theme, the points rule and 永兴社区's supermarket."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from core.models import Membership, User
from tests.factories import PASSWORD
from volunteers.models import (
    HOURS_RULE,
    ActivityTheme,
    Goods,
    PointRule,
    Supermarket,
    TargetGroup,
    Team,
    TeamMember,
    Volunteer,
)


def id_number(n: int) -> str:
    """A valid ID number, different for every n."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    born = date(1960, 1, 1) + timedelta(days=n % 15000)
    body = f"370117{born:%Y%m%d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


ID_NUMBERS = [id_number(n * 7919) for n in range(5)]


@dataclass
class World:
    team: Team
    members: list[Volunteer]
    theme: ActivityTheme
    group: TargetGroup
    supermarket: Supermarket
    goods: Goods
    counter: User  # points-supermarket staff at 永兴社区
    honggou_worker: User  # community worker at 洪沟社区: verifies the team's hours


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def world(district, people) -> World:
    return build_world(district, people)


def build_world(district, people) -> World:
    team = Team(unit=district.honggou, name="马上志愿服务队", founded_on=date(2020, 3, 5))
    team.save()
    team.leaders.add(people.volunteer_leader)
    members = []
    for n, (name, number) in enumerate(
        zip(["张三", "李四", "王五", "赵六", "钱七"], ID_NUMBERS, strict=True)
    ):
        volunteer = Volunteer(
            unit=district.honggou,
            name=name,
            phone=f"1381234567{n}",
            id_number=number,
            joined_on=date(2021, 1, 1),
        )
        volunteer.save()
        TeamMember.objects.create(team=team, volunteer=volunteer, joined_on=date(2021, 1, 1))
        members.append(volunteer)
    PointRule.objects.create(
        key=HOURS_RULE, name="志愿服务时长", basis=PointRule.Basis.HOUR, points=10
    )
    PointRule.objects.create(key="deed", name="见义勇为", basis=PointRule.Basis.DEED, points=50)
    shop = Supermarket.objects.create(unit=district.yongxing, name="永兴社区积分超市")
    goods = Goods.objects.create(supermarket=shop, name="洗衣液", points=30, stock=5)
    counter = User.objects.create_user(username="yongxing_points", password=PASSWORD)
    Membership.objects.create(user=counter, unit=district.yongxing, role="points_staff")
    worker = User.objects.create_user(username="hongou_worker", password=PASSWORD)
    Membership.objects.create(user=worker, unit=district.honggou, role="community_worker")
    return World(
        team=team,
        members=members,
        theme=ActivityTheme.objects.create(name="弘扬雷锋精神"),
        group=TargetGroup.objects.create(name="一老一小"),
        supermarket=shop,
        goods=goods,
        counter=counter,
        honggou_worker=worker,
    )
