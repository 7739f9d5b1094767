"""Demo records of consultation (三会协商): residents' demands, the three meetings, livelihood
projects through the whole chain, and residents' ratings.

Raw records only: 艾山街道's 280+ projects delivered this year are each the end of a chain
(demands → 民情分析会 proposes → 阳光议事会 agrees → 协商推进会 follows → delivered), and the
portal counts them. 汶源街道's platforms "社区半月谈" and "12345商量最靠谱" take up elevator
retrofits and property certificates, many from 12345 tickets. Dates are relative to the day
the demo is loaded; last year's chain exists too, for 同比. Loaded in bulk and tallied in bulk.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from consultation.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    AgendaItem,
    Demand,
    DemandSource,
    DemandStatus,
    LivelihoodProject,
    Meeting,
    MeetingKind,
    Platform,
    ProgressEntry,
    ProjectCategory,
    ProjectRating,
    ProjectStage,
    StageMove,
)
from core.demo import register_loader
from core.demo.people import fake_address, fake_name, fake_phone
from core.models import (
    AdministrativeUnit,
    UnitLevel,
)
from core.models.tallies import apply_fact_changes

__all__ = ["load_consultation", "CATEGORIES", "PLAN"]

CATEGORIES = [
    "电动车充电车棚",
    "道路修缮",
    "电梯加装",
    "房产证办理",
    "路灯维修",
    "老旧小区改造",
    "停车位规划",
    "适老化改造",
    "绿化提升",
    "雨污分流",
]
WHAT = {
    "电动车充电车棚": (
        "{place}楼下电动车没地方充电，飞线充电有隐患，希望建充电车棚。",
        "建设电动车充电车棚",
    ),
    "道路修缮": ("{place}门口道路坑洼不平，雨天积水，出行不便。", "修缮道路"),
    "电梯加装": ("{place}老楼没有电梯，老人上下楼困难，希望加装电梯。", "加装电梯"),
    "房产证办理": ("{place}住户多年办不下房产证，希望协调办理。", "协调办理房产证"),
    "路灯维修": ("{place}附近路灯损坏，夜间通行不安全。", "维修路灯"),
    "老旧小区改造": ("{place}管网老化、墙皮脱落，希望纳入老旧小区改造。", "老旧小区改造"),
    "停车位规划": ("{place}停车难，车辆乱停堵塞消防通道。", "规划停车位"),
    "适老化改造": ("{place}楼道没有扶手，老人行走不便。", "适老化改造"),
    "绿化提升": ("{place}空地杂草丛生，希望绿化提升。", "绿化提升"),
    "雨污分流": ("{place}雨天污水倒灌，希望实施雨污分流。", "雨污分流改造"),
}
FUNDING = [
    "街道民生实事专项资金",
    "区级财政补助",
    "社区党组织服务群众经费",
    "居民自筹与财政补助",
    "产权单位出资",
]
PLACES = ["{n}号楼", "{n}号院", "东区{n}排", "沿街{n}号", "{n}单元"]


@dataclass(frozen=True)
class StreetPlan:
    # Projects delivered this year and in the same part of last year; projects still open.
    delivered: int
    delivered_last_year: int
    open_projects: int
    open_demands: int
    answered_demands: int
    categories: tuple[str, ...]
    platforms: tuple[str, ...] = ()
    hotline_share: float = 0.2


PLAN = {
    "艾山街道": StreetPlan(
        286,
        262,
        34,
        40,
        60,
        (
            "电动车充电车棚",
            "道路修缮",
            "路灯维修",
            "老旧小区改造",
            "停车位规划",
            "适老化改造",
            "绿化提升",
            "雨污分流",
        ),
    ),
    "汶源街道": StreetPlan(
        46, 38, 12, 20, 30, ("电梯加装", "房产证办理"), ("社区半月谈", "12345商量最靠谱"), 0.6
    ),
    "颜庄街道": StreetPlan(24, 20, 6, 10, 15, ("道路修缮", "路灯维修", "绿化提升")),
    "里辛街道": StreetPlan(18, 16, 5, 8, 12, ("道路修缮", "停车位规划")),
    "辛庄街道": StreetPlan(15, 14, 4, 8, 10, ("路灯维修", "适老化改造")),
    "南部新城建设服务中心": StreetPlan(12, 12, 4, 6, 10, ("绿化提升", "道路修缮")),
    "棋山国家森林公园": StreetPlan(6, 5, 2, 3, 5, ("道路修缮", "绿化提升")),
}
SATISFIED_SHARE = 0.96
MINUTES = {
    MeetingKind.ANALYSIS: "梳理近期居民诉求，逐条分析，提出民生实事建议。",
    MeetingKind.DELIBERATION: "公开议事，居民代表、物业与相关部门充分讨论，形成共识。",
    MeetingKind.PROMOTION: "听取项目进展汇报，协调解决推进中的问题。",
}


def _on_weekday(day: date, weekday: int) -> date:
    """The latest day on or before `day` that falls on `weekday` (0 = Monday)."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


@dataclass
class _Batch:
    rng: random.Random
    today: date
    by: object
    meetings: dict = field(default_factory=dict)  # (unit id, kind, day) -> Meeting
    projects: list = field(default_factory=list)  # (project, [demands], [(stage, meeting, day)])
    loose_demands: list = field(default_factory=list)

    def code(self) -> str:
        return "".join(self.rng.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))

    def meeting(self, unit, kind: str, day: date, platform=None) -> Meeting:
        key = (unit.pk, kind, day)
        if key not in self.meetings:
            rng = self.rng
            self.meetings[key] = Meeting(
                unit=unit,
                kind=kind,
                platform=platform,
                held_on=day,
                place=f"{unit.name}党群服务中心议事厅",
                host=f"{unit.name}党组织书记",
                residents=rng.randrange(6, 30),
                representatives=rng.randrange(3, 12),
                party_members=rng.randrange(2, 10),
                businesses=rng.randrange(0, 4),
                departments=rng.randrange(0, 4),
                minutes=MINUTES[kind],
                decisions={
                    MeetingKind.ANALYSIS: "提议列入民生实事。",
                    MeetingKind.DELIBERATION: "表决通过，同意实施。",
                    MeetingKind.PROMOTION: "明确责任分工和完成时限。",
                }[kind],
                created_by=self.by,
            )
        return self.meetings[key]

    def demand(self, unit, day: date, category: str, hotline_share: float, **extra) -> Demand:
        rng = self.rng
        place = rng.choice(PLACES).format(n=rng.randrange(1, 30))
        hotline = rng.random() < hotline_share
        source = (
            DemandSource.HOTLINE
            if hotline
            else rng.choice([DemandSource.ONLINE, DemandSource.GRID, DemandSource.GRID,
                             DemandSource.MEETING, DemandSource.VISIT])
        )  # fmt: skip
        return Demand(
            tracking_code=self.code(),
            unit=unit,
            source=source,
            ticket_number=f"12345-{day:%Y%m%d}-{rng.randrange(10**6):06d}" if hotline else None,
            received_on=min(day, self.today),
            description=WHAT[category][0].format(place=f"{unit.name}{place}"),
            address=fake_address(rng) if rng.random() < 0.5 else "",
            contact_name=fake_name(rng) if rng.random() < 0.7 else "",
            contact_phone=fake_phone(rng) if rng.random() < 0.7 else "",
            created_by=None if source == DemandSource.ONLINE else self.by,
            **extra,
        )


def _chain(batch: _Batch, unit, category, delivered_on: date | None, stage: str, plan, platforms):
    """One project and its demands, walked back from the day it was delivered (or from today
    for a project still open): analysis on a Monday, deliberation on a Wednesday, follow-up on
    a Friday, each some days before the next."""
    rng = batch.rng
    end = delivered_on or batch.today
    promotion = _on_weekday(end - timedelta(days=rng.randrange(7, 40)), 4)
    deliberation = _on_weekday(promotion - timedelta(days=rng.randrange(5, 21)), 2)
    analysis = _on_weekday(deliberation - timedelta(days=rng.randrange(5, 21)), 0)
    platform = rng.choice(platforms) if platforms else None
    steps = [
        (
            ProjectStage.PROPOSED,
            batch.meeting(unit, MeetingKind.ANALYSIS, analysis, platform),
            analysis,
        )
    ]
    order = [
        ProjectStage.PROPOSED,
        ProjectStage.AGREED,
        ProjectStage.UNDER_WAY,
        ProjectStage.DELIVERED,
    ]
    reached = order.index(stage) if stage in order else 0
    if reached >= 1:
        steps.append(
            (
                ProjectStage.AGREED,
                batch.meeting(unit, MeetingKind.DELIBERATION, deliberation, platform),
                deliberation,
            )
        )
    if reached >= 2:
        steps.append(
            (
                ProjectStage.UNDER_WAY,
                batch.meeting(unit, MeetingKind.PROMOTION, promotion, platform),
                promotion,
            )
        )
    if stage == ProjectStage.DELIVERED:
        steps.append((ProjectStage.DELIVERED, None, delivered_on))
    if stage == ProjectStage.DROPPED:
        declined = batch.meeting(unit, MeetingKind.DELIBERATION, deliberation, platform)
        steps.append((ProjectStage.DROPPED, declined, deliberation))
    demands = [
        batch.demand(
            unit, analysis - timedelta(days=rng.randrange(1, 30)), category, plan.hotline_share
        )
        for _ in range(rng.choice([1, 1, 2, 2, 3]))
    ]
    name = rng.choice(PLACES).format(n=rng.randrange(1, 30))
    project = LivelihoodProject(
        title=f"{unit.name}{name}{WHAT[category][1]}",
        category=batch.categories[category],
        unit=unit,
        stage=stage,
        proposed_on=analysis,
        first_demand_on=min(d.received_on for d in demands),
        cost=rng.randrange(8, 600) * 500,
        funding_source=rng.choice(FUNDING),
        delivered_on=delivered_on if stage == ProjectStage.DELIVERED else None,
        beneficiaries=rng.randrange(20, 900) if stage == ProjectStage.DELIVERED else None,
        dropped_reason="经阳光议事会协商，多数居民不同意实施。"
        if stage == ProjectStage.DROPPED
        else "",
        created_by=batch.by,
    )
    batch.projects.append((project, demands, steps))


def _units_of(street):
    return list(
        AdministrativeUnit.objects.filter(
            path__startswith=street.path, level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE]
        ).order_by("code")
    )


def _save(batch: _Batch) -> int:
    Meeting.objects.bulk_create(batch.meetings.values(), batch_size=2000)
    projects = [p for p, _d, _s in batch.projects]
    for project, _demands, steps in batch.projects:
        project.proposed_at = steps[0][1]
        for stage, meeting, _day in steps:
            if stage == ProjectStage.AGREED:
                project.agreed_at = meeting
            if stage == ProjectStage.UNDER_WAY:
                project.started_at = meeting
    LivelihoodProject.objects.bulk_create(projects, batch_size=2000)
    demands, agenda, moves = [], [], []
    for project, project_demands, steps in batch.projects:
        finished_on = steps[-1][2] if project.is_finished else None
        for demand in project_demands:
            demand.project = project
            demand.status = DemandStatus.PROJECT
            if finished_on:
                demand.answered_on = max(finished_on, demand.received_on)
                demand.answer = (
                    f"已纳入民生实事“{project.title}”，于{finished_on:%Y-%m-%d}落地。"
                    if project.stage == ProjectStage.DELIVERED
                    else f"民生实事“{project.title}”未实施：{project.dropped_reason}"
                )
            demands.append(demand)
        previous = ""
        for stage, meeting, day in steps:
            reason = project.dropped_reason if stage == ProjectStage.DROPPED else ""
            moves.append(
                StageMove(
                    project=project, from_stage=previous, to_stage=stage, meeting=meeting,
                    on=day, by=batch.by, reason=reason,
                )
            )  # fmt: skip
            previous = stage
            if meeting is not None:
                agenda.append(AgendaItem(meeting=meeting, project=project))
    Demand.objects.bulk_create(demands + batch.loose_demands, batch_size=2000)
    for project, project_demands, steps in batch.projects:
        for demand in project_demands:
            agenda.append(AgendaItem(meeting=steps[0][1], demand=demand, project=project))
    AgendaItem.objects.bulk_create(agenda, batch_size=5000)
    StageMove.objects.bulk_create(moves, batch_size=5000)
    progress = [
        ProgressEntry(project=p, on=s[2], text=text, by=batch.by)
        for p, _d, steps in batch.projects
        for s, text in zip(steps[2:3], ["施工队进场，开始施工。"], strict=False)
    ]
    ProgressEntry.objects.bulk_create(progress, batch_size=5000)
    ratings = []
    for project, project_demands, _steps in batch.projects:
        if project.stage != ProjectStage.DELIVERED:
            continue
        for demand in project_demands:
            if batch.rng.random() < 0.45:
                satisfied = batch.rng.random() < SATISFIED_SHARE
                score = batch.rng.choice([4, 5, 5]) if satisfied else batch.rng.choice([2, 3])
                later = project.delivered_on + timedelta(days=batch.rng.randrange(1, 20))
                ratings.append(
                    ProjectRating(
                        project=project,
                        demand=demand,
                        unit=project.unit,
                        score=score,
                        rated_on=min(later, batch.today),
                    )
                )
    ProjectRating.objects.bulk_create(ratings, batch_size=5000)
    facts = [
        fact
        for record in [
            *batch.meetings.values(),
            *projects,
            *demands,
            *batch.loose_demands,
            *ratings,
        ]
        for fact in record.tally_facts()
    ]
    apply_fact_changes([], facts)
    return len(projects)


def load_consultation() -> str:
    """Load once; says nothing when the records are already there."""
    if LivelihoodProject.objects.exists():
        return ""
    today = timezone.localdate()
    rng = random.Random(3701170006)
    User = get_user_model()
    year_start = today.replace(month=1, day=1)
    last_start = year_start.replace(year=today.year - 1)
    try:
        same_day_last_year = today.replace(year=today.year - 1)
    except ValueError:
        same_day_last_year = today.replace(year=today.year - 1, day=28)
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        categories = {
            name: ProjectCategory.objects.get_or_create(name=name, defaults={"order": i})[0]
            for i, name in enumerate(CATEGORIES)
        }
        streets = {s.name: s for s in AdministrativeUnit.objects.filter(level=UnitLevel.STREET)}
        total = 0
        for name, plan in PLAN.items():
            street = streets[name]
            official = User.objects.filter(memberships__unit=street).first() or User.objects.get(
                username="district"
            )
            batch = _Batch(rng=rng, today=today, by=official)
            batch.categories = categories
            platforms = [
                Platform.objects.get_or_create(unit=street, name=p)[0] for p in plan.platforms
            ]
            units = _units_of(street)
            # Communities hold most meetings; villages fewer.
            weights = [4 if u.level == UnitLevel.COMMUNITY else 1 for u in units]

            def pick(units=units, weights=weights):
                return rng.choices(units, weights)[0]

            days_this_year = max((today - year_start).days, 1)
            days_last_year = max((same_day_last_year - last_start).days, 1)
            for _ in range(plan.delivered):
                day = year_start + timedelta(days=rng.randrange(days_this_year))
                _chain(
                    batch,
                    pick(),
                    rng.choice(plan.categories),
                    day,
                    ProjectStage.DELIVERED,
                    plan,
                    platforms,
                )
            for _ in range(plan.delivered_last_year):
                day = last_start + timedelta(days=rng.randrange(days_last_year))
                _chain(
                    batch,
                    pick(),
                    rng.choice(plan.categories),
                    day,
                    ProjectStage.DELIVERED,
                    plan,
                    platforms,
                )
            for n in range(plan.open_projects):
                stage = [ProjectStage.PROPOSED, ProjectStage.AGREED, ProjectStage.UNDER_WAY,
                         ProjectStage.UNDER_WAY, ProjectStage.DROPPED][n % 5]  # fmt: skip
                _chain(batch, pick(), rng.choice(plan.categories), None, stage, plan, platforms)
            for n in range(plan.open_demands + plan.answered_demands):
                unit = pick()
                received = today - timedelta(
                    days=rng.randrange(0, 60 if n < plan.open_demands else 300)
                )
                demand = batch.demand(
                    unit, received, rng.choice(plan.categories), plan.hotline_share
                )
                if n >= plan.open_demands:
                    demand.status = DemandStatus.ANSWERED
                    demand.answered_on = min(received + timedelta(days=rng.randrange(1, 10)), today)
                    demand.answer = "已联系相关部门现场查看并解决，感谢您的反映。"
                batch.loose_demands.append(demand)
            total += _save(batch)
    return f"Demo consultation loaded: {total} livelihood projects and their meetings and demands."


register_loader("consultation", load_consultation, order=30)
