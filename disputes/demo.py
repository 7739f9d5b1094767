"""Demo records of disputes, mediation, legal service, hazards and service points.

Raw records only: every figure the article gives (DOMAIN.md) is computed from them by the portal.
Dates are relative to the day the demo is loaded; last year's records exist for every 同比.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

import pghistory
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from core.demo import register_loader
from core.demo.people import fake_address, fake_id_number, fake_name, fake_phone
from core.models import (
    AdministrativeUnit,
    UnitLevel,
)
from core.models.tallies import apply_fact_changes
from disputes.models import (
    CaseCategory,
    CaseEvent,
    CaseParty,
    CaseSource,
    CaseStatus,
    DisputeCase,
    HandlingLevel,
    Hazard,
    HazardCategory,
    HazardSource,
    LegalService,
    MediationAgreement,
    MediationSession,
    MediationStudio,
    ReturnVisit,
    ServicePoint,
    Severity,
)
from disputes.models.disputes import level_of
from disputes.models.hazards import new_hazard_token

__all__ = ["CATEGORIES", "load_disputes"]

CATEGORIES = ["邻里", "婚姻家庭", "物业", "土地", "劳资", "消费", "交通", "其他"]
LEVEL_UP = {
    HandlingLevel.GRID: HandlingLevel.COMMUNITY,
    HandlingLevel.COMMUNITY: HandlingLevel.STREET,
    HandlingLevel.STREET: HandlingLevel.DISTRICT,
}

# Per street: (cases received this year, received last year, petitions this year, last year,
# share of this year's cases resolved, hazards found this year, of which rectified).
PLAN = {
    "艾山街道": (320, 300, 47, 50, 0.985, 40, 34),
    "汶源街道": (121, 115, 14, 15, 0.96, 82, 74),
    "颜庄街道": (96, 90, 9, 11, 0.95, 30, 24),
    "里辛街道": (88, 85, 8, 8, 0.94, 25, 19),
    "辛庄街道": (70, 72, 6, 7, 0.93, 20, 15),
    "南部新城建设服务中心": (64, 60, 5, 6, 0.95, 18, 14),
    "棋山国家森林公园": (30, 28, 2, 3, 0.93, 12, 9),
}
STUDIOS = {
    "艾山街道": 3,
    "汶源街道": 3,
    "颜庄街道": 2,
    "里辛街道": 2,
    "辛庄街道": 1,
    "南部新城建设服务中心": 1,
    "棋山国家森林公园": 1,
}
STUDIO_CASES_THIS_YEAR = 68
LEGAL_PEOPLE_THIS_YEAR = 426
WORKER_STATIONS = 7
PLACES = ["3号楼", "5号楼", "车棚", "沿街商铺", "村委大院"]
ROADS = ["府前大街", "钢都大街", "艾山路"]

DESCRIPTIONS = {
    "邻里": "楼上楼下因漏水问题产生纠纷，双方多次争执。",
    "婚姻家庭": "家庭成员因赡养老人费用分担产生矛盾。",
    "物业": "业主与物业公司就物业费和维修责任发生争议。",
    "土地": "两户村民因宅基地边界划分发生争议。",
    "劳资": "务工人员反映被拖欠工资。",
    "消费": "居民反映购买的家电存在质量问题，商家拒绝退换。",
    "交通": "电动车与行人发生剐蹭，双方就赔偿产生分歧。",
    "其他": "居民之间因公共区域堆放杂物产生矛盾。",
}

# Who a dispute of these categories is usually against: a company, not a person.
RESPONDENT_ORGANISATIONS = {
    "物业": [
        ("济南钢城区梅苑物业服务有限公司", "钢城区汶源街道梅苑小区物业服务中心"),
        ("钢城区永兴物业管理有限公司", "钢城区艾山街道永兴社区综合楼一楼"),
    ],
    "劳资": [("钢城区鑫达建筑工程有限公司", "钢城区府前大街88号")],
    "消费": [("钢城区惠民家电销售有限公司", "钢城区钢都大街126号")],
}


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _settled_level(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.62:
        return HandlingLevel.GRID
    if roll < 0.88:
        return HandlingLevel.COMMUNITY
    if roll < 0.985:
        return HandlingLevel.STREET
    return HandlingLevel.DISTRICT


class _Builder:
    def __init__(self, today: date, by):
        self.rng = random.Random(370117)
        self.today = today
        self.by = by
        self.year_start = today.replace(month=1, day=1)
        self.last_year_start = self.year_start.replace(year=today.year - 1)
        try:
            self.same_day_last_year = today.replace(year=today.year - 1)
        except ValueError:
            self.same_day_last_year = today.replace(year=today.year - 1, day=28)
        self.categories = [
            CaseCategory.objects.get_or_create(name=n, defaults={"order": i})[0]
            for i, n in enumerate(CATEGORIES)
        ]
        # Cases and their files are buffered and written in bulk by flush(), tallied at once.
        self.serials: dict[tuple[int, int], int] = {}
        self.pending: dict[type, list] = {
            model: []
            for model in (
                DisputeCase,
                CaseParty,
                CaseEvent,
                MediationSession,
                MediationAgreement,
                ReturnVisit,
            )
        }

    def add(self, record):
        self.pending[type(record)].append(record)
        return record

    def flush(self) -> None:
        cases = DisputeCase.objects.bulk_create(self.pending[DisputeCase], batch_size=500)
        for model, records in self.pending.items():
            if model is not DisputeCase:
                for record in records:
                    record.case_id = record.case.pk
                model.objects.bulk_create(records, batch_size=500)
        studio_days: dict[int, date] = {}
        for session in self.pending[MediationSession]:
            if session.studio_id is not None:
                held = studio_days.get(session.case_id)
                studio_days[session.case_id] = (
                    min(held, session.held_on) if held else session.held_on
                )
        for case in cases:
            case.first_studio_session_on = studio_days.get(case.pk)
        apply_fact_changes([], [fact for case in cases for fact in case.tally_facts()])
        with connection.cursor() as cursor:
            for (street_id, year), last in self.serials.items():
                cursor.execute(
                    "INSERT INTO governance_casenumbercounter (street_id, year, last) "
                    "VALUES (%s, %s, %s) ON CONFLICT (street_id, year) DO UPDATE SET last = "
                    "GREATEST(governance_casenumbercounter.last, EXCLUDED.last)",
                    [street_id, year, last],
                )
        for records in self.pending.values():
            records.clear()

    def grids(self, street):
        return list(
            AdministrativeUnit.objects.filter(
                path__startswith=street.path, level=UnitLevel.GRID
            ).order_by("code")
        )

    def case(self, street, grids, received_on, *, petition, resolved, studio=None, open_case=False):
        rng = self.rng
        unit = rng.choice(grids)
        category = rng.choice(self.categories)
        source = (
            CaseSource.PETITION
            if petition
            else rng.choice(
                [
                    CaseSource.GRID_SCREENING,
                    CaseSource.GRID_SCREENING,
                    CaseSource.WALK_IN,
                    CaseSource.HOTLINE,
                    CaseSource.ASSIGNED,
                    CaseSource.ANALYSIS_MEETING,
                ]
            )
        )
        serial = self.serials.get((street.pk, received_on.year), 0) + 1
        self.serials[(street.pk, received_on.year)] = serial
        case = DisputeCase(
            number=f"{street.code[:9]}-{received_on.year}-{serial:05d}",
            street=street,
            unit=unit,
            source=source,
            category=category,
            received_on=received_on,
            description=DESCRIPTIONS[category.name],
            handling_level=level_of(unit),
            created_by=self.by,
        )
        settled = _settled_level(rng) if resolved else None
        if petition and settled == HandlingLevel.GRID:
            settled = HandlingLevel.STREET
        if resolved:
            closes = min(received_on + timedelta(days=rng.randrange(1, 25)), self.today)
            case.status = CaseStatus.RESOLVED
            case.resolved_on = closes
            case.settled_level = settled
            case.handling_level = settled
            case.outcome = "经调解，双方达成一致意见，矛盾已化解。"
        elif not open_case:
            case.status = CaseStatus.UNRESOLVED
            case.resolved_on = min(received_on + timedelta(days=rng.randrange(10, 40)), self.today)
            case.referral = "litigation"
            case.referred_body = "钢城区人民法院"
            case.handling_level = HandlingLevel.STREET
            case.outcome = "调解不成，引导当事人依法诉讼。"
        else:
            case.status = CaseStatus.MEDIATING
        self.add(case)
        for side in (CaseParty.Side.APPLICANT, CaseParty.Side.RESPONDENT):
            party = CaseParty(
                case=case,
                side=side,
                name=fake_name(rng),
                phone=fake_phone(rng),
                id_number=fake_id_number(rng),
                address=fake_address(rng),
            )
            respondent = RESPONDENT_ORGANISATIONS.get(category.name)
            if side == CaseParty.Side.RESPONDENT and respondent:
                # Drawn from the serial, not the generator, so every other record stays as it was.
                name, address = respondent[serial % len(respondent)]
                party.kind = CaseParty.Kind.ORGANISATION
                party.name, party.address, party.id_number = name, address, ""
            self.add(party)
        self.add(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.RECEIVED,
                by=self.by,
                to_level=level_of(unit),
                at=_noon(received_on),
            )
        )
        level = level_of(unit)
        target = case.settled_level or case.handling_level
        while level != target and level in LEVEL_UP:
            self.add(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.ESCALATED,
                    by=self.by,
                    from_level=level,
                    to_level=LEVEL_UP[level],
                    reason="需上级协调",
                    at=_noon(received_on),
                )
            )
            level = LEVEL_UP[level]
        if studio is not None or resolved:
            held_on = min(
                received_on + timedelta(days=rng.randrange(0, 3)), case.resolved_on or self.today
            )
            self.add(
                MediationSession(
                    case=case,
                    held_on=held_on,
                    studio=studio,
                    mediators="人民调解员",
                    record="听取双方陈述，释法说理，引导双方互谅互让。",
                )
            )
        if resolved:
            self.add(
                CaseEvent(
                    case=case, kind=CaseEvent.Kind.RESOLVED, by=self.by, at=_noon(case.resolved_on)
                )
            )
            if rng.random() < 0.4:
                self.add(
                    MediationAgreement(
                        case=case,
                        signed_on=case.resolved_on,
                        facts=case.description,
                        terms="双方自愿达成和解，责任方承担相应费用。",
                        performance_method="一次性履行",
                        performance_place="社区调解室",
                        perform_by=case.resolved_on + timedelta(days=15),
                    )
                )
                if case.resolved_on + timedelta(days=20) <= self.today:
                    self.add(
                        ReturnVisit(
                            case=case,
                            visited_on=case.resolved_on + timedelta(days=20),
                            performed=True,
                            notes="协议已履行，双方满意。",
                        )
                    )
        elif case.status == CaseStatus.UNRESOLVED:
            self.add(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.REFERRED,
                    by=self.by,
                    reason="调解不成",
                    at=_noon(case.resolved_on),
                )
            )
        return case

    def year_of_cases(
        self, street, grids, count, petitions, start, end, resolved_share, studios, studio_cases
    ):
        days = sorted(_day_between(self.rng, start, end) for _ in range(count))
        petition_at = set(self.rng.sample(range(count), petitions))
        unresolved = count - round(count * resolved_share)
        # The most recent cases are the ones still open; a few older ones were referred.
        open_at = set(range(count - max(unresolved - unresolved // 2, 0), count))
        referred_at = (
            set(self.rng.sample(range(count - len(open_at)), unresolved // 2))
            if unresolved // 2
            else set()
        )
        studio_at = (
            set(
                self.rng.sample(
                    sorted(set(range(count)) - open_at - referred_at - petition_at), studio_cases
                )
            )
            if studio_cases
            else set()
        )
        for i, day in enumerate(days):
            self.case(
                street,
                grids,
                day,
                petition=i in petition_at,
                resolved=i not in open_at and i not in referred_at,
                open_case=i in open_at,
                studio=self.rng.choice(studios) if i in studio_at and studios else None,
            )


def _noon(day: date):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12, 0))


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def load_disputes() -> str:
    """Load once; says nothing when the records are already there."""
    if DisputeCase.objects.exists():
        return ""
    today = timezone.localdate()
    by = get_user_model().objects.get(username="district")
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        builder = _Builder(today, by)
        rng = builder.rng
        streets = {s.name: s for s in AdministrativeUnit.objects.filter(level=UnitLevel.STREET)}
        studio_split = _split(STUDIO_CASES_THIS_YEAR, len(PLAN), rng)
        all_studios = []
        for (name, plan), studio_cases in zip(PLAN.items(), studio_split, strict=True):
            street = streets[name]
            grids = builder.grids(street)
            communities = list(
                street.children.filter(level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE]).order_by(
                    "code"
                )
            )
            studios = []
            for n in range(STUDIOS[name]):
                home = street if n == 0 else communities[n]
                studios.append(
                    MediationStudio.objects.create(
                        unit=home,
                        name=f"{home.name}人民调解工作室",
                        address=f"{home.name}党群服务中心一楼",
                        hours="周一至周五 8:30–17:30",
                        mediators="调解员甲\n调解员乙",
                    )
                )
            all_studios += studios
            this_year, last_year, petitions, last_petitions, share, found, rectified = plan
            builder.year_of_cases(
                street,
                grids,
                last_year,
                last_petitions,
                builder.last_year_start,
                builder.same_day_last_year,
                0.97,
                studios,
                0,
            )
            builder.year_of_cases(
                street,
                grids,
                this_year,
                petitions,
                builder.year_start,
                today,
                share,
                studios,
                studio_cases,
            )
            _hazards(builder, grids, found, rectified)
            _public_reports(builder, grids)
        builder.flush()
        _legal(builder, list(streets.values()))
        _points(builder, list(streets.values()), all_studios)
    return "Demo disputes, hazards, legal service and service points loaded."


def _hazards(builder: _Builder, grids, found: int, rectified: int) -> None:
    rng, today = builder.rng, builder.today
    for i in range(found):
        found_on = _day_between(rng, builder.year_start, today)
        deadline = found_on + timedelta(days=rng.choice([3, 7, 15, 30]))
        hazard = Hazard(
            unit=rng.choice(grids),
            category=rng.choice(HazardCategory.values),
            place=f"{rng.choice(PLACES)}{rng.randrange(1, 9)}单元",
            description=rng.choice(
                [
                    "楼道堆放杂物，堵塞消防通道。",
                    "电动车在楼道内充电。",
                    "燃气管道老化。",
                    "路灯损坏，夜间通行不便。",
                ]
            ),
            severity=rng.choice(Severity.values),
            found_on=found_on,
            deadline=deadline,
            reported_by=builder.by,
        )
        if i < rectified:
            hazard.rectified_on = min(found_on + timedelta(days=rng.randrange(1, 20)), today)
            hazard.rectification = "已督促整改到位。"
        hazard.save()


def _public_reports(builder: _Builder, grids) -> None:
    """Hazards residents reported through 梅苑's mini-program (Open311): two to check, one checked
    and found to be a hazard. None counts in a figure until checked."""
    rng, today = builder.rng, builder.today
    grid = next((g for g in grids if g.name.startswith("梅苑")), grids[0])
    reports = [
        ("electric", "梅苑小区5号楼2单元楼道", "楼道里有电动车在充电，电线从窗户拉下来。", 0, None),
        ("fire", "梅苑小区东门消防通道", "消防通道被私家车堵住好几天了。", 1, None),
        ("building", "梅苑小区3号楼北侧", "3号楼外墙瓷砖松动，有掉落危险。", 4, "high"),
    ]
    for category, place, description, days_ago, severity in reports:
        reported = timezone.now() - timedelta(days=days_ago, hours=rng.randrange(1, 9))
        hazard = Hazard(
            unit=grid,
            category=category,
            place=place,
            description=description,
            found_on=timezone.localdate(reported),
            source=HazardSource.PUBLIC,
            reporter_name=fake_name(rng),
            reporter_phone=fake_phone(rng),
            reported_at=reported,
            tracking_code=new_hazard_token(),
            latitude=Decimal("36.1950") + Decimal(rng.randrange(0, 999)) / 100000,
            longitude=Decimal("117.8160") + Decimal(rng.randrange(0, 999)) / 100000,
        )
        if severity:
            hazard.verified_on = min(hazard.found_on + timedelta(days=1), today)
            hazard.verified_by = builder.by
            hazard.severity = severity
            hazard.deadline = hazard.verified_on + timedelta(days=7)
            hazard.verification_note = "经现场核实属实，已设置警示标志，限期整改。"
        hazard.save()


def _legal(builder: _Builder, streets) -> None:
    rng, today = builder.rng, builder.today
    units = list(
        AdministrativeUnit.objects.filter(level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE])
    )
    for start, end, total in [
        (builder.last_year_start, builder.same_day_last_year, 380),
        (builder.year_start, today, LEGAL_PEOPLE_THIS_YEAR),
    ]:
        for reached in _split(total, 60, rng):
            LegalService.objects.create(
                unit=rng.choice(units),
                held_on=_day_between(rng, start, end),
                kind=rng.choice(LegalService.Kind.values),
                people_reached=reached,
            )


def _points(builder: _Builder, streets, studios) -> None:
    rng = builder.rng
    opened = builder.last_year_start
    for n in range(WORKER_STATIONS):
        street = streets[n % len(streets)]
        ServicePoint.objects.create(
            unit=street,
            kind=ServicePoint.Kind.WORKER_STATION,
            name=f"泉新泉驿·{street.name}{n // len(streets) + 1}号站",
            address=f"{street.name}{rng.choice(ROADS)}{rng.randrange(1, 200)}号",
            services="饮水、充电、休息、应急药箱",
            hours="全天",
            opened_on=opened,
        )
    for street in streets[:4]:
        ServicePoint.objects.create(
            unit=street,
            kind=ServicePoint.Kind.CANTEEN,
            name=f"{street.name}爱心食堂",
            address=f"{street.name}党群服务中心",
            services="老年人助餐，一荤一素一汤",
            hours="11:00–13:00",
            meal_price_min="8.00",
            meal_price_max="8.80",
            opened_on=opened,
        )
    for street in streets:
        ServicePoint.objects.create(
            unit=street,
            kind=ServicePoint.Kind.GRID_STATION,
            name=f"{street.name}网格驿站",
            address=f"{street.name}便民服务中心",
            services="政策咨询、矛盾调解、代办服务",
            hours="周一至周日 8:30–17:30",
            opened_on=opened,
        )
    for studio in studios:
        ServicePoint.objects.create(
            unit=studio.unit,
            kind=ServicePoint.Kind.MEDIATION,
            name=studio.name,
            address=studio.address,
            services="人民调解、法律咨询",
            hours=studio.hours,
            opened_on=opened,
        )


register_loader("disputes", load_disputes, order=10)
