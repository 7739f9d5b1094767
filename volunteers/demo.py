"""Demo records of the volunteer service: the three-level network (1 / 6 / 22 / 220), 65,000+
volunteers, 476 teams (洪沟社区's 马上志愿服务队 among them), last year's and this year's
activities with their verified hours, 永兴社区's points supermarket with goods and redemptions,
and 梅苑社区's request for a volunteer of 洪沟社区, awaiting 洪沟's decision.

Raw records only: every figure is computed from them by the portal. The rows go in with COPY
and bulk inserts, with history triggers off (the demo's rows have no authors to record), and
their tallies are written in one go from the same facts each record names.
"""

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

import pghistory
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from core.demo import register_loader
from core.demo.people import fake_id_number, fake_name, fake_phone
from core.models import AdministrativeUnit, UnitLevel
from core.models.tallies import apply_fact_changes
from volunteers.models import (
    HOURS_RULE,
    Activity,
    ActivityTheme,
    EntryKind,
    Goods,
    NetworkLevel,
    NetworkNode,
    NetworkService,
    PointEntry,
    PointRule,
    Redemption,
    ServiceHours,
    Supermarket,
    TargetGroup,
    Team,
    Transfer,
    Volunteer,
    VolunteerStatus,
)
from volunteers.services.activities import HoursLine, activity_create, hours_record, hours_verify

__all__ = ["NETWORK", "create_network", "load_volunteers", "plan_network", "PLAN"]

PLAN = {
    "volunteers": 65_400,
    "teams": 476,
    "activities_this_year": 272,
    "activities_last_year": 250,
    "served_this_year": 45_600,
    "supermarket_redemptions": 160,
}
THEMES = [
    "弘扬雷锋精神",
    "中考护航",
    "暑期托管",
    "关爱一老一小",
    "新时代文明实践",
    "环境整治",
    "应急救援",
    "新就业群体服务",
]
GROUPS = ["一老一小", "新就业群体", "残疾人", "困难家庭", "青少年", "社区居民"]
SKILLS = [
    "医疗救护",
    "心理疏导",
    "法律咨询",
    "助老",
    "助残",
    "课业辅导",
    "文艺",
    "摄影",
    "驾驶",
    "电工",
]
TEAM_WORDS = [
    "先锋",
    "红马甲",
    "邻里守望",
    "爱心",
    "文明实践",
    "巾帼",
    "青年",
    "银龄",
    "平安",
    "绿色",
]
GOODS = [
    ("洗衣液", 30, 60),
    ("食用油（5升）", 80, 40),
    ("大米（10斤）", 60, 50),
    ("毛巾", 15, 100),
    ("牙膏", 12, 100),
    ("抽纸（一提）", 20, 80),
    ("保温杯", 50, 30),
    ("理发服务券", 25, 40),
]
DEEDS = [
    ("deed_brave", "见义勇为", 50),
    ("deed_sorting", "垃圾分类示范户", 5),
    ("deed_family", "文明家庭", 20),
]
PLACES = ["党群服务中心", "社区广场", "敬老院", "中学门口", "小区活动室", "新时代文明实践站"]


# The article's network: 1 federation, 6 street alliances, 22 community alliances, 220 village
# service points: organisations attached to units, spread over whatever tree the database holds.
NETWORK = {NetworkLevel.STREET: 6, NetworkLevel.COMMUNITY: 22, NetworkLevel.VILLAGE: 220}
NETWORK_SEED = 20230301
# Township-level units with no alliance of their own, by code (统计用区划代码), and the unit
# whose alliance serves them: 颜庄街道's alliance serves 棋山国家森林公园.
SERVED_WITH = {"370117400000": "370117004000"}
COMMITTEE_SUFFIX = re.compile(r"(居民委员会|村民委员会|村民委会|村民村委会|居委会|村委会)$")


@dataclass
class NodePlan:
    level: str
    name: str
    home: AdministrativeUnit
    serves: list[AdministrativeUnit] = field(default_factory=list)


def _short(name: str) -> str:
    """北城子坡社区居民委员会 → 北城子坡社区, 中施家峪村村民委会 → 中施家峪村."""
    return COMMITTEE_SUFFIX.sub("", name) or name


def _community_stem(name: str) -> str:
    """永兴社区 → 永兴, 北赵家峪居民委员会 → 北赵家峪."""
    short = _short(name)
    return short.removesuffix("社区") or short


def _apportion(sizes: list[int], target: int) -> list[int]:
    """How many organisations each of several groups of units gets: `target` in all, in
    proportion to the groups' sizes (largest remainder), at least one and at most one per unit."""
    total = sum(sizes)
    if target >= total:
        return list(sizes)
    quotas = [target * n / total for n in sizes]
    shares = [min(n, max(1, int(q))) if n else 0 for n, q in zip(sizes, quotas, strict=True)]
    order = sorted(range(len(sizes)), key=lambda i: (shares[i] - quotas[i], i))
    while sum(shares) < target:
        i = next(i for i in order if shares[i] < sizes[i])
        shares[i] += 1
        order = sorted(range(len(sizes)), key=lambda i: (shares[i] - quotas[i], i))
    while sum(shares) > target:
        i = next(i for i in reversed(order) if shares[i] > 1)
        shares[i] -= 1
        order = sorted(range(len(sizes)), key=lambda i: (shares[i] - quotas[i], i))
    return shares


def _split(items: list, parts: int) -> list[list]:
    """`items` cut into `parts` runs of neighbours, the longer runs first."""
    base, longer = divmod(len(items), parts)
    runs, start = [], 0
    for n in range(parts):
        end = start + base + (1 if n < longer else 0)
        runs.append(items[start:end])
        start = end
    return runs


def _neighbours(units: list[AdministrativeUnit], target: int) -> list[list[AdministrativeUnit]]:
    """Groups of neighbouring units (same street, adjacent codes), `target` groups in all or
    one per unit when there are fewer units."""
    by_street: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    for unit in sorted(units, key=lambda u: u.code):
        by_street[unit.parent_id].append(unit)
    streets = list(by_street.values())
    shares = _apportion([len(s) for s in streets], target)
    return [run for s, k in zip(streets, shares, strict=True) for run in _split(s, k)]


def plan_network(rng: random.Random) -> list[NodePlan]:
    """The network over the active units of the tree in the database (by level and code)."""
    units = AdministrativeUnit.objects.filter(retired_on=None).select_related("parent")
    units = units.order_by("code")
    district = units.filter(level=UnitLevel.DISTRICT).first()
    if district is None:
        return []
    plans = [NodePlan(NetworkLevel.FEDERATION, "钢城区志愿服务联合会", district, [district])]

    streets = list(units.filter(level=UnitLevel.STREET))
    groups = [[s] for s in streets]
    target = NETWORK[NetworkLevel.STREET]
    for code, host_code in SERVED_WITH.items():
        guest = next((g for g in groups if g[0].code == code), None)
        host = next((g for g in groups if g[0].code == host_code), None)
        if len(groups) > target and guest and host:
            host += guest
            groups.remove(guest)
    if len(groups) > target:
        groups = [sum(run, []) for run in _split(groups, target)]
    for group in groups:
        plans.append(
            NodePlan(NetworkLevel.STREET, f"{_short(group[0].name)}志愿服务联盟", group[0], group)
        )

    communities = list(units.filter(level=UnitLevel.COMMUNITY))
    for group in _neighbours(communities, NETWORK[NetworkLevel.COMMUNITY]):
        stem = _community_stem(group[0].name)
        name = f"{stem}等社区志愿服务联盟" if len(group) > 1 else f"{stem}社区志愿服务联盟"
        plans.append(NodePlan(NetworkLevel.COMMUNITY, name, group[0], group))

    villages = list(units.filter(level=UnitLevel.VILLAGE))
    target = NETWORK[NetworkLevel.VILLAGE]
    for group in _neighbours(villages, target):
        name = _short(group[0].name) + ("等村" if len(group) > 1 else "") + "志愿服务站"
        plans.append(NodePlan(NetworkLevel.VILLAGE, name, group[0], group))
    # Fewer villages than service points: some villages (drawn by the seeded rng) host two.
    if villages and len(villages) < target:
        seconds = rng.sample(villages, min(target - len(villages), len(villages)))
        for village in sorted(seconds, key=lambda u: u.code):
            name = f"{_short(village.name)}志愿服务站（二站）"
            plans.append(NodePlan(NetworkLevel.VILLAGE, name, village, [village]))
    # Villages of one name in two streets: their points carry the street's name.
    names = Counter(p.name for p in plans)
    for plan in plans:
        if names[plan.name] > 1 and plan.home.parent is not None:
            plan.name = f"{plan.home.parent.name}{plan.name}"
    return plans


def create_network(founded: date, rng: random.Random | None = None) -> list[NetworkNode]:
    """Create the network's records (bulk: the caller tallies the nodes' facts)."""
    plans = plan_network(rng or random.Random(NETWORK_SEED))
    later = {NetworkLevel.COMMUNITY: 30, NetworkLevel.VILLAGE: 60}
    nodes = NetworkNode.objects.bulk_create(
        [
            NetworkNode(
                level=p.level,
                name=p.name,
                unit=p.home,
                founded_on=founded + timedelta(days=later.get(p.level, 0)),
            )
            for p in plans
        ]
    )
    NetworkService.objects.bulk_create(
        [
            NetworkService(node=node, unit=unit)
            for node, p in zip(nodes, plans, strict=True)
            for unit in p.serves
        ]
    )
    return nodes


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _copy(table: str, columns: list[str], rows) -> None:
    connection.ensure_connection()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as raw, raw.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last + 1


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 -- model table
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )


def _array(values: list[str]) -> str:
    return "{" + ",".join(values) + "}"


class _Builder:
    def __init__(self, today: date):
        self.rng = random.Random(20260305)
        self.today = today
        self.now = timezone.now()
        self.year_start = today.replace(month=1, day=1)
        self.last_year_start = self.year_start.replace(year=today.year - 1)
        self.facts = []
        units = AdministrativeUnit.objects.filter(retired_on=None)
        self.district = units.get(level=UnitLevel.DISTRICT)
        self.streets = list(units.filter(level=UnitLevel.STREET).order_by("code"))
        self.locals = list(
            units.filter(level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE]).order_by("code")
        )
        self.by_name = {u.name: u for u in self.locals}

    # -- the network -------------------------------------------------------------------------
    def network(self) -> None:
        nodes = create_network(date(self.today.year - 2, 3, 5))
        for node in nodes:
            self.facts += node.tally_facts()

    # -- volunteers ----------------------------------------------------------------------------
    def volunteers(self) -> dict[int, list[int]]:
        rng = self.rng
        # People register at drives (集中注册日), a few dozen days over five years.
        drives = sorted({self.today - timedelta(days=rng.randrange(5, 5 * 365)) for _ in range(45)})
        this_year = [d for d in drives if d >= self.year_start] or [self.today]
        first_id = _next_id(Volunteer)
        seen: set[str] = set()
        by_unit: dict[int, list[int]] = defaultdict(list)
        self.volunteer_unit: dict[int, int] = {}
        rows = []
        weights = list(accumulate(3 if u.level == UnitLevel.COMMUNITY else 1 for u in self.locals))
        for n in range(PLAN["volunteers"]):
            pk = first_id + n
            unit = rng.choices(self.locals, cum_weights=weights)[0]
            while (id_number := fake_id_number(rng)) in seen:
                pass
            seen.add(id_number)
            joined = rng.choice(this_year) if rng.random() < 0.08 else rng.choice(drives)
            roll = rng.random()
            status, since = VolunteerStatus.ACTIVE, None
            if roll < 0.03:
                status = VolunteerStatus.PAUSED
            elif roll < 0.045:
                status = VolunteerStatus.LEFT
            if status != VolunteerStatus.ACTIVE:
                since = min(joined + timedelta(days=rng.randrange(30, 900)), self.today)
            skills = rng.sample(SKILLS, rng.choice([0, 1, 1, 2]))
            rows.append(
                [
                    pk,
                    unit.pk,
                    fake_name(rng),
                    fake_phone(rng),
                    id_number,
                    _array(skills),
                    joined,
                    status,
                    since,
                    0,
                    1,
                ]
            )
            by_unit[unit.pk].append(pk)
            self.volunteer_unit[pk] = unit.pk
        self.volunteer_rows = rows
        return by_unit

    # -- teams -----------------------------------------------------------------------------
    def teams(self, by_unit: dict[int, list[int]], leader) -> list[tuple[Team, list[int]]]:
        rng = self.rng
        honggou = self.by_name["洪沟社区"]
        homes = list(self.locals)
        extra = PLAN["teams"] - len(homes)
        communities = [u for u in self.locals if u.level == UnitLevel.COMMUNITY]
        homes += [
            communities[i % len(communities)] if i % 3 else rng.choice(self.locals)
            for i in range(extra)
        ]
        taken: dict[int, set[int]] = defaultdict(set)
        names: dict[int, int] = defaultdict(int)
        teams = []
        for unit in homes:
            names[unit.pk] += 1
            if unit.pk == honggou.pk and names[unit.pk] == 1:
                name = "马上志愿服务队"
            else:
                word = TEAM_WORDS[(names[unit.pk] + unit.pk) % len(TEAM_WORDS)]
                name = f"{unit.name}{word}志愿服务队" + (
                    f"（{names[unit.pk]}）" if names[unit.pk] > 1 else ""
                )
            pool = [v for v in by_unit[unit.pk] if v not in taken[unit.pk]]
            size = min(len(pool), rng.randrange(50, 81))
            members = rng.sample(pool, size)
            taken[unit.pk].update(members)
            founded = date(self.today.year - rng.randrange(1, 6), rng.randrange(1, 13), 1)
            teams.append((Team(unit=unit, name=name, founded_on=founded), members))
        Team.objects.bulk_create([t for t, _m in teams])
        for team, _members in teams:
            self.facts += team.tally_facts()
        # The demo team leader leads 马上志愿服务队.
        if leader is not None:
            next(t for t, _m in teams if t.name == "马上志愿服务队").leaders.add(leader)
        self.team_rows = [
            (team.pk, member, max(team.founded_on, date(self.today.year - 1, 1, 1)))
            for team, members in teams
            for member in members
        ]
        return teams

    # -- activities and hours --------------------------------------------------------------------
    def activities(self, teams, author, themes, groups) -> None:
        rng = self.rng
        days_this_year = max((self.today - self.year_start).days, 1)
        yongxing = self.by_name["永兴社区"].pk
        honggou = self.by_name["洪沟社区"].pk
        must = [t for t in teams if t[0].unit_id in (yongxing, honggou)]
        others = [t for t in teams if t not in must]
        this_year = must + rng.sample(others, PLAN["activities_this_year"] - len(must))
        last_year = rng.sample(teams, PLAN["activities_last_year"])
        served = self._split(PLAN["served_this_year"], len(this_year))
        plans = [
            (t, self.year_start + timedelta(days=rng.randrange(days_this_year)), s)
            for t, s in zip(this_year, served, strict=True)
        ]
        plans += [
            (t, self.last_year_start + timedelta(days=rng.randrange(365)), rng.randrange(100, 220))
            for t in last_year
        ]
        activities, members_of = [], []
        for (team, members), day, count in plans:
            start = rng.choice([8, 9, 14])
            length = rng.choice([3, 3.5, 4])
            starts_at = _aware(day, start)
            ends_at = starts_at + timedelta(hours=length)
            theme = rng.choice(themes)
            activities.append(
                Activity(
                    title=f"{team.unit.name}·{theme.name}志愿服务",
                    theme=theme,
                    unit_id=team.unit_id,
                    team=team,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    held_on=timezone.localtime(starts_at).date(),
                    place=f"{team.unit.name}{rng.choice(PLACES)}",
                    capacity=60,
                    served=count,
                    description="志愿者分组开展服务，活动结束后由队长如实记录每人服务时长。",
                    created_by=author,
                )
            )
            members_of.append(members)
        Activity.objects.bulk_create(activities)
        through = Activity.target_groups.through
        through.objects.bulk_create(
            [
                through(activity_id=a.pk, targetgroup_id=g.pk)
                for a in activities
                for g in rng.sample(groups, rng.choice([1, 2]))
            ]
        )
        rule_points = PointRule.objects.get(key=HOURS_RULE).points
        first_id = _next_id(ServiceHours)
        hours_rows, self.earnings = [], []
        pk = first_id
        for activity, members in zip(activities, members_of, strict=True):
            if activity.ends_at > self.now:
                continue
            day = activity.day
            length = Decimal(str((activity.ends_at - activity.starts_at).total_seconds() / 3600))
            verified = activity.ends_at + timedelta(days=1) <= self.now
            for volunteer in rng.sample(members, min(len(members), rng.randrange(38, 56))):
                hours = max(length - Decimal(rng.choice(["0", "0", "0", "0.5", "1"])), Decimal("1"))
                points = int(hours * rule_points) if verified else 0
                status = "verified" if verified else "recorded"
                during = f"[{activity.starts_at.isoformat()},{activity.ends_at.isoformat()})"
                at = activity.ends_at + timedelta(days=1) if verified else None
                hours_rows.append(
                    [
                        pk,
                        activity.pk,
                        volunteer,
                        activity.unit_id,
                        day,
                        during,
                        hours,
                        status,
                        author.pk,
                        author.pk if verified else None,
                        at,
                        points,
                        1,
                    ]
                )
                if verified:
                    self.earnings.append(
                        (
                            at,
                            volunteer,
                            activity.unit_id,
                            points,
                            pk,
                            f"{activity.title}，{hours}小时",
                        )
                    )
                pk += 1
        self.hours_rows = hours_rows

    @staticmethod
    def _split(total: int, parts: int) -> list[int]:
        base = total // parts
        values = [base + ((i * 37) % 41) - 20 for i in range(parts)]
        values[-1] += total - sum(values)
        return values

    # -- points ------------------------------------------------------------------------------
    def points(self, staff) -> None:
        rng = self.rng
        yongxing = self.by_name["永兴社区"]
        shop = Supermarket.objects.create(
            unit=yongxing,
            name="永兴社区积分超市",
            address="永兴社区党群服务中心一楼",
            hours="每周二、周五 9:00–11:30",
        )
        goods = Goods.objects.bulk_create(
            [Goods(supermarket=shop, name=n, points=p, stock=s) for n, p, s in GOODS]
        )
        rules = {r.key: r for r in PointRule.objects.filter(basis=PointRule.Basis.DEED)}
        entries = list(self.earnings)
        # Good deeds at 永兴社区 this year.
        yongxing_people = [v for v, u in self.volunteer_unit.items() if u == yongxing.pk]
        for volunteer in rng.sample(yongxing_people, min(40, len(yongxing_people))):
            rule = rules[rng.choice(list(rules))]
            at = _aware(
                self.year_start
                + timedelta(days=rng.randrange(max((self.today - self.year_start).days, 1))),
                10,
            )
            entries.append(
                (at, volunteer, yongxing.pk, rule.points, None, f"{rule.name}：社区评定")
            )
        entries.sort(key=lambda e: (e[0], e[1]))
        balance: dict[int, int] = defaultdict(int)
        last_earned: dict[int, datetime] = {}
        first_entry = _next_id(PointEntry)
        ledger = []
        for n, (at, volunteer, unit_id, points, hours_id, reason) in enumerate(entries):
            balance[volunteer] += points
            last_earned[volunteer] = at
            kind = EntryKind.HOURS if hours_id else EntryKind.DEED
            ledger.append(
                [
                    first_entry + n,
                    volunteer,
                    unit_id,
                    kind,
                    points,
                    balance[volunteer],
                    reason,
                    hours_id,
                    None,
                    None,
                    at,
                    timezone.localtime(at).date(),
                ]
            )
        # Redemptions at the counter, after the points were earned.
        stock = {g.pk: g.stock for g in goods}
        candidates = [v for v in yongxing_people if balance[v] >= 12]
        redemptions = []
        first_redemption = _next_id(Redemption)
        for _n in range(min(PLAN["supermarket_redemptions"], len(candidates) * 3)):
            volunteer = rng.choice(candidates)
            affordable = [g for g in goods if g.points <= balance[volunteer] and stock[g.pk] > 0]
            if not affordable:
                continue
            item = rng.choice(affordable)
            earliest = max(last_earned[volunteer], _aware(self.year_start, 9))
            span = max(int((self.now - earliest).total_seconds() // 3600) - 1, 1)
            at = earliest + timedelta(hours=rng.randrange(span))
            last_earned[volunteer] = at
            stock[item.pk] -= 1
            balance[volunteer] -= item.points
            rid = first_redemption + len(redemptions)
            redemptions.append(
                Redemption(
                    id=rid,
                    supermarket=shop,
                    goods=item,
                    volunteer_id=volunteer,
                    quantity=1,
                    points=item.points,
                    by=staff,
                    at=at,
                )
            )
            ledger.append(
                [
                    first_entry + len(ledger),
                    volunteer,
                    yongxing.pk,
                    EntryKind.REDEMPTION,
                    -item.points,
                    balance[volunteer],
                    f"{shop.name}：{item.name} × 1",
                    None,
                    rid,
                    staff.pk,
                    at,
                    timezone.localtime(at).date(),
                ]
            )
        Redemption.objects.bulk_create(redemptions)
        for item in goods:
            item.stock = stock[item.pk]
        Goods.objects.bulk_update(goods, ["stock"])
        self.ledger_rows = ledger
        for row in self.volunteer_rows:
            row[9] = balance.get(row[0], 0)


# The facts the big tables' records name (Volunteer, Activity, ServiceHours, PointEntry
# .tally_facts), computed by SQL over the copied rows: one pass instead of 100,000 saves.
# The demo-figures test holds the tallies equal to a recomputation from the records.
_FACTS = """
    SELECT unit_id, joined_on, 'volunteers.registered', count(*) FROM volunteers_volunteer
    GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, joined_on, 'volunteers.active', count(*) FROM volunteers_volunteer
    GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, greatest(coalesce(status_since, joined_on), joined_on), 'volunteers.active',
           -count(*)
    FROM volunteers_volunteer WHERE status <> 'active' GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, greatest(coalesce(status_since, joined_on), joined_on), 'volunteers.' || status,
           count(*)
    FROM volunteers_volunteer WHERE status <> 'active' GROUP BY 1, 2, 3
    UNION ALL
    SELECT unit_id, (starts_at AT TIME ZONE %(tz)s)::date, 'volunteers.activities', count(*)
    FROM volunteers_activity GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, (starts_at AT TIME ZONE %(tz)s)::date, 'volunteers.served', sum(served)
    FROM volunteers_activity GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, served_on, 'volunteers.hours_tenths', sum((hours * 10)::bigint)
    FROM volunteers_servicehours WHERE status = 'verified' AND hours > 0 GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, served_on, 'volunteers.attendances', count(*)
    FROM volunteers_servicehours WHERE status = 'verified' AND hours > 0 GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, (at AT TIME ZONE %(tz)s)::date,
           CASE WHEN kind = 'redemption' THEN 'volunteers.points_redeemed'
                ELSE 'volunteers.points_issued' END,
           sum(CASE WHEN kind = 'redemption' THEN -delta ELSE delta END)
    FROM volunteers_pointentry GROUP BY 1, 2, 3
"""


def _tally_in_bulk() -> None:
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE volunteers_demo_facts "
            "(unit_id bigint, day date, metric varchar(64), value bigint) ON COMMIT DROP"
        )
        cursor.execute(
            f"INSERT INTO volunteers_demo_facts {_FACTS}",  # noqa: S608 -- constant SQL
            {"tz": settings.TIME_ZONE},
        )
        cursor.execute(
            """
            INSERT INTO governance_tally (unit_id, day, metric, value)
            SELECT unit_id, day, metric, sum(value) FROM volunteers_demo_facts
            GROUP BY 1, 2, 3 HAVING sum(value) <> 0
            ON CONFLICT (unit_id, day, metric)
            DO UPDATE SET value = governance_tally.value + EXCLUDED.value
            """
        )
        cursor.execute(
            """
            INSERT INTO governance_subtreetally (unit_id, day, metric, value)
            SELECT a.id, f.day, f.metric, sum(f.value)
            FROM volunteers_demo_facts f
            JOIN governance_administrativeunit u ON u.id = f.unit_id
            CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) AS c(code)
            JOIN governance_administrativeunit a ON a.code = c.code
            GROUP BY 1, 2, 3 HAVING sum(f.value) <> 0
            ON CONFLICT (unit_id, metric, day)
            DO UPDATE SET value = governance_subtreetally.value + EXCLUDED.value
            """
        )


def _lists() -> tuple[list, list]:
    themes = [
        ActivityTheme.objects.get_or_create(name=n, defaults={"order": i})[0]
        for i, n in enumerate(THEMES)
    ]
    groups = [
        TargetGroup.objects.get_or_create(name=n, defaults={"order": i})[0]
        for i, n in enumerate(GROUPS)
    ]
    PointRule.objects.get_or_create(
        key=HOURS_RULE,
        defaults={"name": "志愿服务时长", "basis": PointRule.Basis.HOUR, "points": 10},
    )
    for key, name, points in DEEDS:
        PointRule.objects.get_or_create(
            key=key, defaults={"name": name, "basis": PointRule.Basis.DEED, "points": points}
        )
    return themes, groups


def _transfer_request() -> None:
    """A pending transfer, so the holding unit's page has a decision to make."""
    asker = get_user_model().objects.filter(username="meiyuan").first()
    into = AdministrativeUnit.objects.filter(name="梅苑社区").first()
    person = Volunteer.objects.filter(unit__name="洪沟社区", status=VolunteerStatus.ACTIVE).first()
    if asker is None or into is None or person is None:
        return
    with pghistory.context(user=asker.pk, reason="transfer_request"):
        Transfer.objects.create(
            volunteer=person, to_unit=into, reason="已迁入梅苑社区居住", requested_by=asker
        )


def load_volunteers() -> str:
    """Load once; says nothing when the records are already there."""
    if NetworkNode.objects.exists() or Volunteer.objects.exists():
        return ""
    User = get_user_model()
    author = (
        User.objects.filter(username="district").first()
        or User.objects.filter(is_superuser=True).first()
    )
    leader = User.objects.filter(username="hongou_volunteers").first()
    staff = User.objects.filter(username="yongxing_points").first() or author
    builder = _Builder(timezone.localdate())
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Demo rows have no author to record: history triggers stay off while they go in.
            cursor.execute("SET LOCAL session_replication_role = replica")
        themes, groups = _lists()
        builder.network()
        by_unit = builder.volunteers()
        teams = builder.teams(by_unit, leader)
        builder.activities(teams, author, themes, groups)
        builder.points(staff)
        _copy(
            "volunteers_volunteer",
            [
                "id",
                "unit_id",
                "name",
                "phone",
                "id_number",
                "skills",
                "joined_on",
                "status",
                "status_since",
                "points_balance",
                "version",
            ],
            builder.volunteer_rows,
        )
        _copy("volunteers_teammember", ["team_id", "volunteer_id", "joined_on"], builder.team_rows)
        _copy(
            "volunteers_servicehours",
            [
                "id",
                "activity_id",
                "volunteer_id",
                "unit_id",
                "served_on",
                "during",
                "hours",
                "status",
                "recorded_by_id",
                "verified_by_id",
                "verified_at",
                "points_credited",
                "version",
            ],
            builder.hours_rows,
        )
        _copy(
            "volunteers_pointentry",
            [
                "id",
                "volunteer_id",
                "unit_id",
                "kind",
                "delta",
                "balance_after",
                "reason",
                "hours_id",
                "redemption_id",
                "by_id",
                "at",
                "day",
            ],
            builder.ledger_rows,
        )
        for model in (Volunteer, ServiceHours, PointEntry, Redemption):
            _reset_sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        apply_fact_changes([], builder.facts)
        _tally_in_bulk()
        _transfer_request()
    return (
        f"Demo volunteers loaded: {len(builder.volunteer_rows)} volunteers, "
        f"{PLAN['teams']} teams, {len(builder.hours_rows)} lines of hours."
    )


register_loader("volunteers", load_volunteers, order=50)


# -- 暑期托管 in 汶源街道's villages ----------------------------------------------------------
# Last summer's holiday care (暑期托管) by the village volunteer teams of 黄庄一村 and 黄庄二村, the
# villages whose left-behind children the care demo registers; care records which children each
# activity served. Logged, recorded and verified through the services, as a team would.
SUMMER_VILLAGES = ("370117003200", "370117003201")
SUMMER_TITLES = [
    "暑期托管·作业辅导",
    "暑期托管·防溺水安全课",
    "暑期托管·手工与绘本阅读",
    "暑期托管·趣味运动会",
    "暑期托管·书法兴趣课",
    "暑期托管·科普小实验",
]


def last_summer(today: date) -> date:
    """The first of July of the last summer holiday that has ended by `today`."""
    year = today.year if today >= date(today.year, 9, 1) else today.year - 1
    return date(year, 7, 1)


def load_summer_care() -> str:
    """Load once, after the volunteers; says nothing when already there or nothing to add to."""
    User = get_user_model()
    author = User.objects.filter(username="district").first()
    theme = ActivityTheme.objects.filter(name="暑期托管").first()
    group = TargetGroup.objects.filter(name="一老一小").first()
    villages = list(AdministrativeUnit.objects.filter(code__in=SUMMER_VILLAGES).order_by("code"))
    start = last_summer(timezone.localdate())
    if author is None or theme is None or not villages:
        return ""
    if Activity.objects.filter(
        title__startswith="暑期托管·", unit__in=villages, held_on__gte=start
    ).exists():
        return ""
    rng = random.Random(20260701)
    made = 0
    with transaction.atomic():
        for village in villages:
            team = Team.objects.filter(unit=village).order_by("pk").first()
            if team is None:
                continue
            members = list(team.members.filter(status=VolunteerStatus.ACTIVE).order_by("pk"))
            for n, title in enumerate(SUMMER_TITLES):
                day = start + timedelta(days=7 + 7 * n + rng.randrange(0, 3))
                activity = activity_create(
                    by=author,
                    team=team,
                    target_groups=[group] if group else [],
                    title=title,
                    theme=theme,
                    starts_at=_aware(day, 9),
                    ends_at=_aware(day, 11, 30),
                    place=f"{village.name}新时代文明实践站",
                    capacity=10,
                    served=rng.randrange(8, 16),
                    description="假期里为留守儿童、困境儿童开展托管服务，志愿者分组辅导与看护。",
                )
                busy = set(
                    ServiceHours.objects.filter(served_on=day).values_list(
                        "volunteer_id", flat=True
                    )
                )
                free = [v for v in members if v.pk not in busy]
                chosen = rng.sample(free, min(len(free), rng.randrange(4, 8)))
                lines = [HoursLine(v, Decimal(rng.choice(["2.5", "2.5", "2.0"]))) for v in chosen]
                if lines:
                    hours_record(by=author, activity=activity, lines=lines)
                    hours_verify(by=author, activity=activity)
                made += 1
    return f"暑期托管: {made} summer activities in {len(villages)} villages of 汶源街道"


register_loader("volunteers_summer", load_summer_care, order=55)
