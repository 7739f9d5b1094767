"""The care demo: 梅苑社区's older people living alone (and a few empty-nest and very old ones),
most wearing a 智慧养老手环, with a month of visits and alerts: most alerts taken within minutes,
some taken late after climbing to the community, one to the street; and 留守儿童 in two of
汶源街道's villages with their visits and the summer's 暑期托管 activities that served them.
Every record goes through the services, so the figures are the tallies those services write."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from care.models import (
    AlertKind,
    AlertLevel,
    CareKind,
    CarePerson,
    ChildActivity,
    Device,
    Finding,
    Outcome,
    RiskLevel,
)
from care.services.alerts import alert_acknowledge, alert_close, alert_escalate, alert_receive
from care.services.people import mark_overdue, person_register
from care.services.visits import visit_log
from core import handoffs
from core.demo import register_loader
from core.models import AdministrativeUnit, User

__all__ = ["load_care"]

MEIYUAN = "370117003010"
WENYUAN = "370117003000"
DAYS = 30
PLATFORM = "demo-bracelet"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN_OLD = [
    "桂兰",
    "秀英",
    "玉珍",
    "凤英",
    "德山",
    "文华",
    "淑芬",
    "长海",
    "福田",
    "兰芝",
    "守业",
    "春花",
]
GIVEN_YOUNG = ["子涵", "浩然", "梓萱", "一诺", "宇轩", "欣怡", "俊杰", "雨桐"]
RELATIONS = ["儿子", "女儿", "侄子", "外甥女"]
NEEDS = [
    "家中水管漏水，需要维修",
    "希望社区帮忙代购常用药",
    "楼道灯坏了，夜间出行不便",
    "想报名社区老年食堂助餐",
    "",
    "",
    "",
]
CHILD_NEEDS = ["暑假期间希望参加托管班", "学习用品不足", "", ""]
OUTCOMES = [Outcome.VISITED, Outcome.VISITED, Outcome.FAMILY_CALLED, Outcome.FALSE_ALARM,
            Outcome.FALSE_ALARM, Outcome.AMBULANCE]  # fmt: skip
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _id_number(born: date, n: int) -> str:
    body = f"370117{born:%Y%m%d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime(day.year, day.month, day.day, rng.randrange(6, 22), rng.randrange(60))
    )


def _register(rng, by, grid, kind, n, born, given, today, registered_on=None) -> CarePerson:
    name = rng.choice(SURNAMES) + rng.choice(given)
    registered_on = registered_on or today - timedelta(days=DAYS + rng.randrange(10, 200))
    return person_register(
        by=by,
        unit=grid,
        kind=kind,
        name=name,
        id_number=_id_number(born, n),
        phone=_phone(rng) if kind.code != "left_behind" else "",
        address=f"{grid.parent.name}{rng.randrange(1, 30)}号楼{rng.randrange(1, 6)}单元",
        guardian_name=rng.choice(SURNAMES) + rng.choice(["建国", "海燕", "志强", "丽"]),
        guardian_relation=rng.choice(RELATIONS) if kind.code != "left_behind" else "祖母",
        guardian_phone=_phone(rng),
        risk_level=rng.choice([RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.LOW]),
        registered_on=registered_on,
        consent=True,
        consent_on=registered_on,
    )


def _visits(rng, person: CarePerson, by, today, needs) -> None:
    """Visits from the month's start, each near its due day: most on time, some late."""
    start = today - timedelta(days=DAYS)
    while True:
        person.refresh_from_db()
        due = person.next_visit_due
        day = max(due + timedelta(days=rng.choice([-2, -1, 0, 0, 0, 1, 3])), start)
        if day > today:
            return
        # Now and then a visit due this month is missed; one due before the month is made up.
        if rng.random() < 0.05 and due >= start:
            return
        need = rng.choice(needs)
        visit_log(
            by=by,
            person=person,
            visited_on=day,
            finding=Finding.NEEDS_HELP
            if need
            else rng.choice([Finding.WELL, Finding.WELL, Finding.UNWELL]),
            needs=need,
        )


def _alerts(rng, devices, grid_worker, community_worker, street_official, today) -> None:
    first_grid_id = min(device.unit_id for device in devices)
    kinds = [AlertKind.FALL, AlertKind.SOS, AlertKind.NO_MOVEMENT, AlertKind.HEART_RATE,
             AlertKind.LEFT_AREA, AlertKind.SOS, AlertKind.FALL]  # fmt: skip
    n = 0
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            n += 1
            device = rng.choice(devices)
            at = _at(day, rng)
            alert = alert_receive(
                platform=PLATFORM, external_id=f"DEMO-{n:05d}", device=device,
                kind=rng.choice(kinds), happened_at=at - timedelta(seconds=20), now=at,
            ).alert  # fmt: skip
            window = timedelta(minutes=alert.window_minutes)
            roll = rng.random()
            if roll < 0.85:  # taken at the grid within the minutes
                taken = at + timedelta(minutes=rng.uniform(0.5, 4.5))
                by = grid_worker if device.unit_id == first_grid_id else community_worker
            elif roll < 0.97:  # nobody at the grid: the community takes it
                alert_escalate(alert_id=alert.pk, level=AlertLevel.GRID, now=at + window)
                taken, by = at + window + timedelta(minutes=rng.uniform(1, 4.5)), community_worker
            else:  # it climbs to the street
                alert_escalate(alert_id=alert.pk, level=AlertLevel.GRID, now=at + window)
                alert_escalate(alert_id=alert.pk, level=AlertLevel.COMMUNITY, now=at + 2 * window)
                taken, by = at + 2 * window + timedelta(minutes=rng.uniform(1, 3)), street_official
            alert_acknowledge(by=by, alert=alert, now=taken)
            outcome = rng.choice(OUTCOMES)
            alert_close(by=by, alert=alert, outcome=outcome,
                        now=taken + timedelta(minutes=rng.uniform(10, 50)))  # fmt: skip
    low = rng.choice(devices)
    alert_receive(
        platform=PLATFORM, external_id="DEMO-BATTERY-1", device=low, kind=AlertKind.LOW_BATTERY,
        happened_at=timezone.now() - timedelta(hours=3), detail={"battery": 8},
        now=timezone.now() - timedelta(hours=3),
    )  # fmt: skip


def _summer(today: date) -> date:
    """The first of July of the last summer holiday that has ended by `today`."""
    year = today.year if today >= date(today.year, 9, 1) else today.year - 1
    return date(year, 7, 1)


def _summer_care(rng, children, by, today) -> int:
    """Which of the summer's 暑期托管 activities (held for the child's village by its volunteer
    team, read through core.handoffs) each child took part in: most of them, not all."""
    start = _summer(today)
    made = 0
    for child in children:
        held = [
            a
            for a in handoffs.activities_held_for(child.unit, start, date(start.year, 8, 31))
            if a.theme == "暑期托管"
        ]
        for activity in held:
            if rng.random() < 0.7:
                ChildActivity.objects.create(
                    person=child,
                    unit_id=child.unit_id,
                    activity_id=activity.pk,
                    held_on=activity.held_on,
                    recorded_by=by,
                    recorded_at=timezone.make_aware(
                        datetime.combine(activity.held_on, datetime.min.time())
                    )
                    + timedelta(hours=15),
                )
                made += 1
    return made


def load_care() -> str:
    """Load once; says nothing when the records are already there."""
    meiyuan = AdministrativeUnit.objects.filter(code=MEIYUAN).first()
    if meiyuan is None or CarePerson.objects.exists():
        return ""
    rng = random.Random(20261206)
    today = timezone.localdate()
    grid_worker = User.objects.get(username="meiyuan_grid")
    community_worker = User.objects.get(username="meiyuan")
    street_official = User.objects.get(username="wenyuan")
    kinds = {kind.code: kind for kind in CareKind.objects.all()}
    grids = list(meiyuan.children.filter(level="grid").order_by("code"))
    villages = list(
        AdministrativeUnit.objects.filter(parent__code=WENYUAN, level="village").order_by("code")[
            :2
        ]
    )
    people, devices, children, n = [], [], [], 0
    with transaction.atomic():
        for g, grid in enumerate(grids):
            by = grid_worker if g == 0 else community_worker
            for i in range(8 if g == 0 else 4):
                n += 1
                kind = (
                    kinds["living_alone"]
                    if i < 5 or g
                    else kinds[["empty_nest", "very_old", "disabled"][i - 5]]
                )
                born = date(1932 + rng.randrange(18), rng.randrange(1, 13), rng.randrange(1, 28))
                person = _register(rng, by, grid, kind, n, born, GIVEN_OLD, today)
                people.append((person, by))
                if kind.code in {"living_alone", "disabled"}:
                    devices.append(
                        Device.objects.create(
                            serial=f"GC-MY-{n:04d}",
                            person=person,
                            unit=grid,
                            battery=rng.randrange(30, 100),
                            bound_on=person.registered_on,
                        )
                    )
        for village in villages:
            for grid in village.children.filter(level="grid").order_by("code")[:1]:
                for _ in range(4):
                    n += 1
                    born = date(2012 + rng.randrange(8), rng.randrange(1, 13), rng.randrange(1, 28))
                    kind = kinds["left_behind"] if rng.random() < 0.8 else kinds["in_difficulty"]
                    # Registered before the summer holiday, whose 暑期托管 served them.
                    registered_on = _summer(today) - timedelta(days=rng.randrange(10, 60))
                    person = _register(
                        rng, street_official, grid, kind, n, born, GIVEN_YOUNG, today,
                        registered_on,
                    )  # fmt: skip
                    people.append((person, street_official))
                    children.append(person)
        for person, by in people:
            needs = CHILD_NEEDS if person.kind.for_children else NEEDS
            _visits(rng, person, by, today, needs)
        _alerts(rng, devices, grid_worker, community_worker, street_official, today)
        served = _summer_care(rng, children, street_official, today)
        mark_overdue(today)
    return (
        f"care: {len(people)} people in care, {len(devices)} bracelets, a month of visits, "
        f"{served} times children were served by 暑期托管"
    )


register_loader("care", load_care, order=60)
