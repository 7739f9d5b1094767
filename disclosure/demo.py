"""Demo records of 柳桥峪村's "阳光工程": its disclosure catalogue and the posts that fulfil it
(fund tables, 《新柳桥》 and the other "1+N" channels), 四议两公开 decisions with all their
steps, 5 supervision-committee members and 10 construction observers, the findings they filed
(13 rectified this year), and this year's satisfaction survey (≥ 95%). Three other villages of
颜庄街道 get a catalogue they have fallen behind on, so the street has overdue villages to see.

Every figure is computed from these records. Loading twice adds nothing."""

import random
from datetime import date, timedelta

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.demo import register_loader
from core.demo.people import fake_name
from core.models import AdministrativeUnit
from disclosure.models import (
    Decision,
    DecisionStatus,
    DecisionStep,
    DisclosureItem,
    DisclosurePost,
    Finding,
    FundLine,
    PostChannel,
    PostReview,
    PostStatus,
    SupervisionMember,
    Survey,
    SurveyAnswer,
    SurveyCode,
)
from disclosure.models.decisions import STEP_ORDER
from disclosure.models.disclosure import period_for
from disclosure.models.surveys import new_code
from disclosure.services.disclosure import dues_ensure

__all__ = [
    "load_disclosure",
    "OBSERVERS",
    "RECTIFIED_THIS_YEAR",
    "SURVEY_RATINGS",
    "VILLAGE",
]

VILLAGE = "柳桥峪村"
OBSERVERS = 10
COMMITTEE = 5
RECTIFIED_THIS_YEAR = 13
OPEN_FINDINGS = 2
# 非常满意, 满意, 基本满意, 不满意: (168 + 62) ÷ 240 = 95.8%
SURVEY_RATINGS = {"very": 168, "satisfied": 62, "fairly": 8, "no": 2}
SURVEY_HOUSEHOLDS = 260

CATALOGUE = [
    ("party", "党组织建设与党费收缴", "quarterly"),
    ("village", "村务工作与民生实事进展", "quarterly"),
    ("finance", "村集体财务收支", "monthly"),
    ("funds", "上级专项资金使用", "quarterly"),
    ("relief", "低保、特困供养名单", "quarterly"),
    ("industry", "产业项目全程公示", "immediate"),
    ("resolutions", "村民代表会议决定事项", "immediate"),
]

FINANCE_LINES = [
    ("income", "上级转移支付"),
    ("income", "集体土地发包收入"),
    ("income", "果园承包费"),
    ("expense", "村干部误工补贴"),
    ("expense", "道路保洁与垃圾清运"),
    ("expense", "路灯电费"),
    ("expense", "办公用品"),
]

FINDINGS = [
    ("村西路段路灯不亮", "更换灯具6盏"),
    ("文化广场健身器材松动", "加固并更换螺栓"),
    ("垃圾收集点清运不及时", "调整清运频次为每日一次"),
    ("便民服务大厅办事指南未更新", "重新印制并张贴办事指南"),
    ("公开栏玻璃破损", "更换公开栏玻璃"),
    ("排水沟堵塞", "组织清淤"),
    ("老年食堂菜价未公示", "在食堂门口公示菜价"),
    ("村卫生室开放时间不固定", "固定开放时间并公示"),
    ("桥头护栏缺失", "加装护栏"),
    ("农家书屋长期关闭", "安排专人每周开放三天"),
    ("果园承包合同未公开", "在《新柳桥》全文公开合同"),
    ("村内道路坑洼", "修补路面120平方米"),
    ("低保评议记录未公示", "补充公示评议记录"),
    ("自来水管道渗漏", "更换管道"),
    ("健身步道照明不足", "增设照明"),
]

DECISIONS = [
    ("村集体果园对外承包", "果园产业项目", "将村集体果园80亩对外公开承包，承包费归村集体。"),
    ("村内主干道硬化", "道路修缮民生实事", "硬化村内主干道1.2公里，资金来源为上级专项资金。"),
    ("建设电动车充电车棚", "电动车充电车棚民生实事", "在村委大院东侧建设充电车棚一处。"),
    ("文化广场改造提升", "", "改造文化广场，增设健身器材和照明。"),
]


def _period_label(cadence: str, start: date) -> str:
    if cadence == "monthly":
        return f"{start.year}年{start.month}月"
    if cadence == "quarterly":
        return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"
    return f"{start.year}年度"


def _day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class _Loader:
    def __init__(self, village: AdministrativeUnit, clerk, supervisor):
        self.rng = random.Random(5_370_117)
        self.village = village
        self.clerk = clerk
        self.supervisor = supervisor
        self.today = timezone.localdate()
        self.year_start = self.today.replace(month=1, day=1)
        self.start = self.year_start.replace(year=self.today.year - 1)
        self.issue = 0

    def post(self, unit, *, item=None, category, title, start, end, body, published_on,
             lines=(), channels=True) -> DisclosurePost:  # fmt: skip
        """A post drafted, its lines and channels added, reviewed, then published."""
        income = sum(fen for direction, _name, fen in lines if direction == "income")
        expense = sum(fen for direction, _name, fen in lines if direction == "expense")
        post = DisclosurePost.objects.create(
            unit=unit,
            item=item,
            category=category,
            title=title,
            period_start=start,
            period_end=end,
            body=body,
            declared_income_fen=income if lines else None,
            declared_expense_fen=expense if lines else None,
            created_by=self.clerk,
        )
        FundLine.objects.bulk_create(
            FundLine(post=post, direction=d, item=name, amount_fen=fen, order=n)
            for n, (d, name, fen) in enumerate(lines)
        )
        if channels:
            self.issue += 1
            PostChannel.objects.bulk_create(
                [
                    PostChannel(
                        post=post,
                        channel="paper",
                        published_on=published_on,
                        reference=f"《新柳桥》第{self.issue}期",
                    ),
                    PostChannel(post=post, channel="wechat", published_on=published_on),
                    PostChannel(post=post, channel="board", published_on=published_on),
                ]
            )
        PostReview.objects.create(post=post, decision=PostReview.APPROVED, by=self.supervisor)
        post.status = PostStatus.PUBLISHED
        post.published_on = published_on
        post.save()
        return post

    def work_in_progress(self) -> None:
        """What a clerk has on the desk: a draft, and a post awaiting the committee's review."""
        month = self.today.replace(day=1)
        DisclosurePost.objects.create(
            unit=self.village,
            category="relief",
            title=f"{self.village.name}{self.today.year}年冬季清洁取暖补贴发放名单",
            period_start=month,
            period_end=self.today,
            body="经村民小组评议、两委会审核，拟发放冬季清洁取暖补贴的农户名单及标准如下。",
            created_by=self.clerk,
        )
        DisclosurePost.objects.create(
            unit=self.village,
            category="village",
            title=f"{self.village.name}文化广场照明维修工程招标结果公示",
            period_start=month,
            period_end=self.today,
            body="文化广场照明维修工程经村民代表会议决议后公开招标，现将中标单位及价格公示。",
            status=PostStatus.IN_REVIEW,
            created_by=self.clerk,
        )

    def finance_lines(self) -> list[tuple[str, str, int]]:
        rng = self.rng
        return [
            (d, name, rng.randrange(50_000, 3_000_000) + rng.randrange(100))
            for d, name in FINANCE_LINES
        ]

    def catalogue(self, unit, *, keep_up: bool) -> dict[str, DisclosureItem]:
        items = {}
        for category, title, cadence in CATALOGUE:
            items[category] = DisclosureItem.objects.create(
                unit=unit, category=category, title=title, cadence=cadence, starts_on=self.start
            )
        for category, item in items.items():
            if item.cadence == "immediate":
                continue
            day = self.start
            while True:
                start, end = period_for(item.cadence, day)
                published_on = end + timedelta(days=self.rng.randrange(1, 9))
                if published_on > self.today:
                    break
                # A lagging village stopped disclosing some months ago.
                if keep_up or end < self.today - timedelta(days=150):
                    self.post(
                        unit,
                        item=item,
                        category=category,
                        title=f"{unit.name}{_period_label(item.cadence, start)}{item.title}公开",
                        start=start,
                        end=end,
                        body=f"根据村务公开目录，现将{start:%Y年%m月%d日}至{end:%m月%d日}"
                        f"{item.title}情况公开如下，接受村民监督。",
                        published_on=published_on,
                        lines=self.finance_lines() if category in {"finance", "funds"} else (),
                        channels=keep_up,
                    )
                day = end + timedelta(days=1)
        return items

    def decisions(self, items) -> None:
        rng = self.rng
        for n, (title, project, summary) in enumerate(DECISIONS):
            decision = Decision.objects.create(
                unit=self.village,
                title=title,
                summary=summary,
                project=project,
                created_by=self.clerk,
            )
            # Three completed, one halfway (it waits for its villagers' meeting).
            steps = len(STEP_ORDER) if n < 3 else 3
            day = _day(rng, self.start + timedelta(days=60), self.today - timedelta(days=120))
            for number, kind in enumerate(STEP_ORDER[:steps], start=1):
                day = min(day + timedelta(days=rng.randrange(2, 12)), self.today)
                step = DecisionStep(
                    decision=decision, kind=kind, number=number, held_on=day, passed=True
                )
                if kind in {"resolution_public", "result_public"}:
                    label = "决议公开" if kind == "resolution_public" else "实施结果公开"
                    step.post = self.post(
                        self.village,
                        item=items["resolutions"],
                        category="resolutions",
                        title=f"关于{title}的{label}",
                        start=day,
                        end=day,
                        body=f"{summary}经“四议两公开”程序，现予{label}。",
                        published_on=day,
                        lines=(
                            [
                                ("income", "上级专项资金", 4_860_000),
                                ("expense", "工程款", 4_812_350),
                            ]
                            if kind == "result_public"
                            else ()
                        ),
                    )
                else:
                    expected = {"proposal": 5, "committees": 9, "party_meeting": 36}.get(kind, 45)
                    present = (
                        expected
                        if expected < 10
                        else rng.randrange(-(-expected * 2 // 3) + 1, expected + 1)
                    )
                    step.expected, step.present = expected, present
                    step.votes_for = present - rng.randrange(0, 3)
                    step.votes_against = present - step.votes_for
                    step.abstentions = 0
                    step.representatives = kind == "villagers"
                step.save()
            if steps == len(STEP_ORDER):
                decision.status = DecisionStatus.COMPLETED
                decision.completed_on = day
                decision.save()

    def supervision(self) -> None:
        rng = self.rng
        since = self.start
        members = [
            SupervisionMember(unit=self.village, name=fake_name(rng), kind=kind, since=since)
            for kind, count in [("committee", COMMITTEE), ("observer", OBSERVERS)]
            for _ in range(count)
        ]
        for member in members:
            member.save()
        observers = [m for m in members if m.kind == "observer"]
        for n, (title, done) in enumerate(FINDINGS):
            rectified = n < RECTIFIED_THIS_YEAR
            if rectified:
                signed = _day(rng, self.year_start, self.today)
                responded = signed - timedelta(days=rng.randrange(0, 4))
                found = responded - timedelta(days=rng.randrange(3, 20))
                deadline = found + timedelta(days=30)
            else:
                found = self.today - timedelta(days=40 if n == RECTIFIED_THIS_YEAR else 5)
                deadline = found + timedelta(days=30)
                signed = responded = None
            # Most are the village committee's to rectify, some a named cadre's.
            cadre = fake_name(rng)
            Finding(
                unit=self.village,
                title=title,
                description=f"村居建设观察员巡查发现：{title}。",
                found_on=found,
                found_by=observers[n % len(observers)],
                assignee=cadre if n % 3 == 2 else "柳桥峪村村委会",
                deadline=deadline,
                response=done if rectified else "",
                responded_on=responded,
                signed_off_on=signed,
                signed_off_by=self.supervisor if rectified else None,
                reported_by=self.supervisor,
            ).save()

    def survey(self) -> None:
        rng = self.rng
        opens = max(self.year_start, self.today - timedelta(days=30))
        survey = Survey.objects.create(
            unit=self.village,
            title=f"{self.today.year}年度村务公开与监督满意度调查",
            question="您对本村村务公开和村务监督工作满意吗？",
            opens_on=opens,
            closes_on=self.today + timedelta(days=30),
        )
        codes = set()
        while len(codes) < SURVEY_HOUSEHOLDS:
            codes.add(new_code())
        slips = SurveyCode.objects.bulk_create(
            SurveyCode(survey=survey, code=c) for c in sorted(codes)
        )
        ratings = [r for r, count in SURVEY_RATINGS.items() for _ in range(count)]
        rng.shuffle(ratings)
        now = timezone.now()
        for slip, rating in zip(slips, ratings, strict=False):
            slip.used_at = now
            slip.save(update_fields=["used_at"])
            SurveyAnswer(
                survey=survey,
                code=slip,
                unit=self.village,
                rating=rating,
                answered_on=_day(rng, opens, self.today),
            ).save()


def load_disclosure() -> str:
    village = AdministrativeUnit.objects.filter(name=VILLAGE).first()
    if village is None or DisclosureItem.objects.filter(unit=village).exists():
        return ""
    User = get_user_model()
    clerk = User.objects.get(username="liuqiaoyu_clerk")
    supervisor = User.objects.get(username="liuqiaoyu_supervisor")
    loader = _Loader(village, clerk, supervisor)
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        items = loader.catalogue(village, keep_up=True)
        lagging = (
            AdministrativeUnit.objects.filter(parent=village.parent, level="village")
            .exclude(pk=village.pk)
            .order_by("code")[:3]
        )
        for unit in lagging:
            loader.catalogue(unit, keep_up=False)
        loader.decisions(items)
        loader.work_in_progress()
        loader.supervision()
        loader.survey()
        dues_ensure(DisclosureItem.objects.filter(unit__parent=village.parent))
    return (
        f"Village disclosure: {DisclosurePost.objects.count()} posts, "
        f"{OBSERVERS} observers, {RECTIFIED_THIS_YEAR} rectified items, "
        f"{sum(SURVEY_RATINGS.values())} survey answers in {VILLAGE}."
    )


register_loader("disclosure", load_disclosure, order=50)
