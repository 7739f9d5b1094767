"""Demo records of the workforce: the demo district's roster, the 三维培训 of March to July, and
the first skills competition (首届社区工作者职业能力大赛), finished and published.

Raw records only: 500+ training 人次 between March and July come out of ticked attendances.
When the demo is loaded before August, March to July of last year is used instead (the sessions
must lie in the past). Deterministic: seeded random, dates relative to the day of loading.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.demo import register_loader
from core.demo.people import fake_name, fake_phone
from core.models import (
    AdministrativeUnit,
    Fact,
    Membership,
    UnitLevel,
)
from core.models.tallies import apply_fact_changes
from workforce.models import (
    Attendance,
    Competition,
    CompetitionRound,
    Entrant,
    GridAssignment,
    Incentive,
    Organiser,
    Qualification,
    RoundJudge,
    Score,
    TrainingProgramme,
    TrainingSession,
    Worker,
    WorkerPosition,
    WorkerStatus,
)

__all__ = ["POSITIONS", "UNCOVERED_GRIDS", "load_workforce", "training_window"]

# name, covers grids, order
POSITIONS = [
    ("社区书记", False, 1),
    ("村党组织书记", False, 2),
    ("社区工作者", False, 3),
    ("专职网格员", True, 4),
    ("兼职网格员", True, 5),
]
# Grids left without a grid worker, flagged on their community's and street's pages.
UNCOVERED_GRIDS = ["370117003010003", "370117002201002", "370117004203002", "370117400205001"]

# programme, organisers, [(month, day, title, place, invited, pool)]
PROGRAMMES = [
    (
        "网格员履职能力提升培训",
        [Organiser.SOCIAL_WORK, Organiser.POLITICAL_LEGAL],
        [
            (
                3,
                12,
                "网格员履职能力提升培训（第一期）：矛盾纠纷排查化解",
                "区委党校报告厅",
                85,
                "grid",
            ),
            (4, 16, "网格员履职能力提升培训（第二期）：安全隐患排查", "区委党校报告厅", 85, "grid"),
            (
                5,
                14,
                "网格员履职能力提升培训（第三期）：12345热线诉求办理",
                "区政务服务中心",
                80,
                "grid",
            ),
            (
                6,
                11,
                "网格员履职能力提升培训（第四期）：信息采集与系统使用",
                "区委党校机房",
                75,
                "grid",
            ),
        ],
    ),
    (
        "党建引领社区治理专题培训",
        [Organiser.ORGANISATION, Organiser.PARTY_SCHOOL],
        [
            (
                3,
                26,
                "党建引领社区治理专题培训：三会协商经验交流",
                "艾山街道党群服务中心",
                75,
                "all",
            ),
            (5, 21, "党建引领社区治理专题培训：四议两公开实务", "柳桥峪村村委会", 70, "all"),
            (7, 9, "党建引领社区治理专题培训：居民议事与民生实事", "区委党校报告厅", 70, "all"),
        ],
    ),
    (
        "社区书记先锋论坛",
        [Organiser.SOCIAL_WORK, Organiser.ORGANISATION],
        [
            (4, 24, "社区书记先锋论坛（春季）", "区委会议中心", 50, "secretary"),
            (7, 23, "社区书记先锋论坛（夏季）", "汶源街道网格驿站", 50, "secretary"),
        ],
    ),
]
ATTENDED_SHARE = 0.93
COMPETITION_NAME = "首届社区工作者职业能力大赛"
ENTRANTS = 36
JUDGES = [
    ("judge", "评委（演示）", ["interview", "case"]),
    ("judge_written", "笔试阅卷评委（演示）", ["written"]),
    ("judge_panel2", "面试评委二（演示）", ["interview", "case"]),
    ("judge_panel3", "面试评委三（演示）", ["interview", "case"]),
]


def training_window(today: date) -> int:
    """The year whose March to July the demo's training fills: this year once July is over."""
    return today.year if today >= date(today.year, 8, 1) else today.year - 1


def load_workforce() -> str:
    if Worker.objects.exists():
        return ""
    today = timezone.localdate()
    rng = random.Random(2026_0801)
    district = AdministrativeUnit.objects.get(level=UnitLevel.DISTRICT, parent__isnull=True)
    by = get_user_model().objects.get(username="district")
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        positions = {
            name: WorkerPosition.objects.get_or_create(
                name=name, defaults={"is_grid": grid, "order": order}
            )[0]
            for name, grid, order in POSITIONS
        }
        workers, assignments = _roster(rng, district, positions, today)
        year = training_window(today)
        attended = _training(rng, district, by, workers, positions, year)
        attended += _training(rng, district, by, workers, positions, year - 1, scale=0.75)
        entrants = _competition(rng, district, by, workers, positions, year)
        _incentives(rng, by, entrants)
        _tally(workers, attended, entrants)
        from workforce.services import refresh_grid_coverage

        refresh_grid_coverage()
    return (
        f"Demo workforce loaded: {len(workers)} workers, training in March–July {year}, "
        f"{COMPETITION_NAME}."
    )


def _roster(rng, district, positions, today):
    units = AdministrativeUnit.objects.filter(path__startswith=district.path).order_by("code")
    grids_of = defaultdict(list)
    locals_ = []
    for unit in units:
        if unit.level == UnitLevel.GRID:
            grids_of[unit.parent_id].append(unit)
        elif unit.level in (UnitLevel.COMMUNITY, UnitLevel.VILLAGE):
            locals_.append(unit)
    plan = []  # (unit, position, grid or None)
    for unit in locals_:
        community = unit.level == UnitLevel.COMMUNITY
        plan.append((unit, positions["社区书记" if community else "村党组织书记"], None))
        if community:
            plan += [(unit, positions["社区工作者"], None)] * 2
        for grid in grids_of[unit.pk]:
            if grid.code in UNCOVERED_GRIDS:
                continue
            plan.append((unit, positions["专职网格员" if community else "兼职网格员"], grid))
    workers, grids = [], []
    quals = [Qualification.SW_ASSISTANT, Qualification.SW, Qualification.MEDIATOR]
    for unit, position, grid in plan:
        held = [
            q for q, share in zip(quals, (0.3, 0.12, 0.15), strict=True) if rng.random() < share
        ]
        workers.append(
            Worker(
                unit=unit,
                name=fake_name(rng),
                position=position,
                phone=fake_phone(rng),
                qualifications=[str(q) for q in held],
                status=WorkerStatus.LEAVE if rng.random() < 0.01 else WorkerStatus.ACTIVE,
                joined_on=today - timedelta(days=rng.randrange(400, 365 * 9)),
            )
        )
        grids.append(grid)
    Worker.objects.bulk_create(workers)
    assignments = [
        GridAssignment(worker=w, grid=g) for w, g in zip(workers, grids, strict=True) if g
    ]
    GridAssignment.objects.bulk_create(assignments)
    return workers, assignments


def _pool(workers, positions, kind):
    if kind == "grid":
        return [w for w in workers if w.position.is_grid]
    if kind == "secretary":
        return [w for w in workers if w.position.name in ("社区书记", "村党组织书记")]
    return workers


def _training(rng, district, by, workers, positions, year, scale=1.0):
    attended = []
    for name, organisers, sessions in PROGRAMMES:
        programme = TrainingProgramme.objects.create(
            unit=district,
            name=name if scale == 1.0 else f"{name}（{year}年）",
            organisers=[str(o) for o in organisers],
            description=f"{year}年“三维培训”：{name}。",
            created_by=by,
        )
        for month, day, title, place, invited, pool in sessions:
            session = TrainingSession.objects.create(
                programme=programme,
                unit=district,
                title=title,
                held_on=date(year, month, day),
                place=place,
                materials="培训课件（PDF）\n学员手册\n课后测试题",
                created_by=by,
            )
            chosen = rng.sample(_pool(workers, positions, pool), int(invited * scale))
            rows = []
            for worker in chosen:
                came = rng.random() < ATTENDED_SHARE
                rows.append(
                    Attendance(
                        session=session,
                        worker=worker,
                        attended=came,
                        marked_at=timezone.make_aware(timezone.datetime(year, month, day, 8, 50))
                        if came
                        else None,
                        marked_by=by if came else None,
                    )
                )
            Attendance.objects.bulk_create(rows)
            attended += [(row.worker, session.held_on) for row in rows if row.attended]
    return attended


def _competition(rng, district, by, workers, positions, year):
    User = get_user_model()
    held_on = date(year, 7, 30)
    competition = Competition.objects.create(
        unit=district,
        name=COMPETITION_NAME,
        held_on=held_on,
        first_prizes=1,
        second_prizes=3,
        third_prizes=6,
        created_by=by,
    )
    rounds = {}
    for order, (kind, weight) in enumerate([("written", 40), ("interview", 30), ("case", 30)]):
        rounds[kind] = CompetitionRound.objects.create(
            competition=competition, kind=kind, weight=Decimal(weight), order=order
        )
    judges = {}
    for username, full_name, kinds in JUDGES:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, full_name=full_name)
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, unit=district, role="competition_judge")
        for kind in kinds:
            RoundJudge.objects.create(round=rounds[kind], judge=user)
            judges.setdefault(kind, []).append(user)
    pool = [w for w in workers if not w.position.is_grid] + [
        w for w in workers if w.position.name == "专职网格员"
    ]
    chosen = rng.sample(pool, ENTRANTS)
    entrants = [
        Entrant(competition=competition, worker=w, number=n) for n, w in enumerate(chosen, start=1)
    ]
    Entrant.objects.bulk_create(entrants)
    scores = []
    skill = {e.pk: rng.uniform(62, 92) for e in entrants}
    # Two entrants with exactly the same scores: a tie, shown openly as a shared rank.
    twin_a, twin_b = entrants[4], entrants[11]
    skill[twin_b.pk] = skill[twin_a.pk]
    for kind, round_ in rounds.items():
        for judge in judges[kind]:
            for entrant in entrants:
                key = twin_a.pk if entrant is twin_b else entrant.pk
                seeded = random.Random(f"{key}-{kind}-{judge.username}")
                value = min(99.5, max(40, skill[key] + seeded.uniform(-6, 6)))
                scores.append(
                    Score(
                        round=round_,
                        entrant=entrant,
                        judge=judge,
                        value=Decimal(str(round(value * 2) / 2)),
                    )
                )
    Score.objects.bulk_create(scores)
    from workforce.services import competition_publish

    competition_publish(by=by, competition=competition, version=competition.version)
    return entrants


def _incentives(rng, by, entrants):
    awarded = Entrant.objects.filter(pk__in=[e.pk for e in entrants]).select_related(
        "competition", "worker"
    )
    rows = []
    for entrant in awarded:
        if entrant.award in ("first", "second", "third"):
            rows.append(
                Incentive(
                    worker=entrant.worker,
                    kind=Incentive.Kind.COMMENDATION,
                    title=f"{entrant.competition.name}{entrant.get_award_display()}",
                    granted_on=entrant.competition.held_on + timedelta(days=10),
                    granted_by="区委社会工作部",
                    created_by=by,
                )
            )
            rows.append(
                Incentive(
                    worker=entrant.worker,
                    kind=Incentive.Kind.ALLOWANCE,
                    title="职业能力等级津贴",
                    granted_on=entrant.competition.held_on + timedelta(days=30),
                    granted_by="区委社会工作部",
                    amount=Decimal(rng.choice([300, 500, 800])),
                    created_by=by,
                )
            )
    Incentive.objects.bulk_create(rows)


def _tally(workers, attended, entrants) -> None:
    """The facts the bulk-created records would have written one by one, in one go."""
    facts = []
    first_day: dict[tuple[int, int], date] = {}
    for worker, day in attended:
        facts.append(Fact(worker.unit_id, day, "training.person_times", 1))
        key = (worker.pk, day.year)
        if key not in first_day or day < first_day[key]:
            first_day[key] = day
    for worker in workers:
        facts += worker.roster_facts()
    by_pk = {w.pk: w for w in workers}
    facts += [
        Fact(by_pk[pk].unit_id, day, "training.workers_trained", 1)
        for (pk, _year), day in first_day.items()
    ]
    for entrant in Entrant.objects.filter(pk__in=[e.pk for e in entrants]).select_related(
        "worker", "competition"
    ):
        facts += entrant.tally_facts()
    apply_fact_changes([], facts)


register_loader("workforce", load_workforce, order=30)
