"""The demo district: 钢城区 with its six streets, 22 communities, 220 villages, their grids, and
one account per demo role. Loading twice changes nothing."""

from dataclasses import dataclass
from datetime import date

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import AdministrativeUnit, Membership, UnitLevel

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "load_district", "load_accounts"]

DEMO_PASSWORD = "Gangcheng-2026"  # noqa: S105 -- published demo password
DEMO_CODE_NOTE = "演示代码：真实统计用区划代码未知，此代码按12位规则编排，仅供演示。"
DEMO_NAME_NOTE = "演示单位：名称为演示所设。"

DISTRICT = ("370117000000", "钢城区", "统计用区划代码 370117（济南市钢城区）。")


@dataclass(frozen=True)
class StreetPlan:
    number: int
    name: str
    short: str
    real_code: bool
    communities: tuple[str, ...]  # named communities first; the rest are numbered demo ones
    community_count: int
    villages: tuple[str, ...]
    village_count: int


STREETS = [
    StreetPlan(1, "艾山街道", "艾山", True, ("梅苑社区", "永兴社区"), 4, (), 37),
    StreetPlan(2, "汶源街道", "汶源", False, ("洪沟社区",), 4, (), 37),
    StreetPlan(3, "颜庄街道", "颜庄", False, (), 4, ("柳桥峪村",), 37),
    StreetPlan(4, "演示第四街道", "演四", False, (), 4, (), 37),
    StreetPlan(5, "演示第五街道", "演五", False, (), 3, (), 36),
    StreetPlan(6, "演示第六街道", "演六", False, (), 3, (), 36),
]
GRIDS_PER_COMMUNITY = 3
GRIDS_PER_VILLAGE = 2
GRID_NUMERALS = "一二三四五六七八九"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_name: str
    role_label: str


DEMO_ACCOUNTS = [
    DemoAccount("district", "区委社会工作部（演示）", "district_staff", "钢城区", "区委社会工作部"),
    DemoAccount("aishan", "艾山街道干部（演示）", "street_official", "艾山街道", "街道干部"),
    DemoAccount("wenyuan", "汶源街道干部（演示）", "street_official", "汶源街道", "街道干部"),
    DemoAccount("meiyuan", "梅苑社区工作者（演示）", "community_worker", "梅苑社区", "社区工作者"),
    DemoAccount("meiyuan_grid", "梅苑网格员（演示）", "grid_worker", "梅苑社区第一网格", "网格员"),
    DemoAccount(
        "liuqiaoyu_clerk", "柳桥峪村务文书（演示）", "village_clerk", "柳桥峪村", "村务公开文书"
    ),
    DemoAccount(
        "liuqiaoyu_supervisor",
        "柳桥峪村监委会委员（演示）",
        "supervisor",
        "柳桥峪村",
        "村务监督委员会委员",
    ),
    DemoAccount(
        "liuqiaoyu_observer",
        "柳桥峪村居建设观察员（演示）",
        "observer",
        "柳桥峪村",
        "村居建设观察员",
    ),
    DemoAccount(
        "hongou_volunteers",
        "马上志愿服务队队长（演示）",
        "volunteer_leader",
        "洪沟社区",
        "志愿服务队队长",
    ),
    DemoAccount("judge", "评委（演示）", "competition_judge", "钢城区", "职业能力大赛评委"),
    DemoAccount(
        "yongxing_points",
        "永兴社区积分超市（演示）",
        "points_staff",
        "永兴社区",
        "积分超市工作人员",
    ),
]


def _unit(code: str, name: str, level: str, parent, notes: str, established: date):
    unit = AdministrativeUnit.objects.filter(code=code).first()
    if unit is None:
        unit = AdministrativeUnit(
            code=code, name=name, level=level, parent=parent, notes=notes, created_on=established
        )
        unit.save()
    return unit


def _grids(parent: AdministrativeUnit, count: int, established: date) -> None:
    for n in range(1, count + 1):
        _unit(
            f"{parent.code}{n:03d}",
            f"{parent.name}第{GRID_NUMERALS[n - 1]}网格",
            UnitLevel.GRID,
            parent,
            "网格代码：所属社区（村）代码后加三位网格序号。",
            established,
        )


def load_district() -> AdministrativeUnit:
    established = date(timezone.localdate().year - 3, 1, 1)
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        code, name, notes = DISTRICT
        district = _unit(code, name, UnitLevel.DISTRICT, None, notes, established)
        for plan in STREETS:
            street_code = f"370117{plan.number:03d}000"
            street_notes = (
                "统计用区划代码 370117001（艾山街道）。" if plan.real_code else DEMO_CODE_NOTE
            )
            if not plan.name.endswith("街道") or plan.short.startswith("演"):
                street_notes = f"{DEMO_NAME_NOTE}{DEMO_CODE_NOTE}"
            street = _unit(
                street_code, plan.name, UnitLevel.STREET, district, street_notes, established
            )
            prefix = street_code[:9]
            for n in range(1, plan.community_count + 1):
                named = n <= len(plan.communities)
                community_name = plan.communities[n - 1] if named else f"{plan.short}演示社区{n}"
                notes = DEMO_CODE_NOTE if named else f"{DEMO_NAME_NOTE}{DEMO_CODE_NOTE}"
                community = _unit(
                    f"{prefix}{n:03d}",
                    community_name,
                    UnitLevel.COMMUNITY,
                    street,
                    notes,
                    established,
                )
                _grids(community, GRIDS_PER_COMMUNITY, established)
            for n in range(1, plan.village_count + 1):
                named = n <= len(plan.villages)
                village_name = plan.villages[n - 1] if named else f"{plan.short}演示村{n:02d}"
                notes = DEMO_CODE_NOTE if named else f"{DEMO_NAME_NOTE}{DEMO_CODE_NOTE}"
                village = _unit(
                    f"{prefix}{200 + n:03d}",
                    village_name,
                    UnitLevel.VILLAGE,
                    street,
                    notes,
                    established,
                )
                _grids(village, GRIDS_PER_VILLAGE, established)
    return district


def load_accounts() -> list[DemoAccount]:
    User = get_user_model()
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = User.objects.create_user(
                    username=account.username, password=DEMO_PASSWORD, full_name=account.full_name
                )
            unit = AdministrativeUnit.objects.get(name=account.unit_name)
            Membership.objects.get_or_create(user=user, unit=unit, role=account.role)
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser(
                username="admin", password=DEMO_PASSWORD, full_name="系统管理员（演示）"
            )
    return DEMO_ACCOUNTS
