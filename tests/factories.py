"""A small district and its personas, shared by every test: one user per demo role, plus
an outsider (no role) and the anonymous public."""

from dataclasses import dataclass
from datetime import date

from core.models import AdministrativeUnit, Membership, UnitLevel, User

PASSWORD = "Test-password-2026"
ESTABLISHED = date(2020, 1, 1)


@dataclass
class District:
    district: AdministrativeUnit
    aishan: AdministrativeUnit
    meiyuan: AdministrativeUnit
    meiyuan_grid: AdministrativeUnit
    meiyuan_grid2: AdministrativeUnit
    yongxing: AdministrativeUnit
    wenyuan: AdministrativeUnit
    honggou: AdministrativeUnit
    honggou_grid: AdministrativeUnit
    yanzhuang: AdministrativeUnit
    liuqiaoyu: AdministrativeUnit
    liuqiaoyu_grid: AdministrativeUnit


@dataclass
class Personas:
    district_staff: User
    aishan_official: User
    wenyuan_official: User
    meiyuan_worker: User
    grid_worker: User
    village_clerk: User
    supervisor: User
    volunteer_leader: User
    outsider: User


def unit(code: str, name: str, level: str, parent=None) -> AdministrativeUnit:
    made = AdministrativeUnit(
        code=code, name=name, level=level, parent=parent, created_on=ESTABLISHED
    )
    made.save()
    return made


def build_district() -> District:
    L = UnitLevel
    district = unit("370117000000", "钢城区", L.DISTRICT)
    aishan = unit("370117001000", "艾山街道", L.STREET, district)
    meiyuan = unit("370117001001", "梅苑社区", L.COMMUNITY, aishan)
    yongxing = unit("370117001002", "永兴社区", L.COMMUNITY, aishan)
    wenyuan = unit("370117003000", "汶源街道", L.STREET, district)
    honggou = unit("370117003001", "洪沟社区", L.COMMUNITY, wenyuan)
    yanzhuang = unit("370117004000", "颜庄街道", L.STREET, district)
    liuqiaoyu = unit("370117004201", "柳桥峪村", L.VILLAGE, yanzhuang)
    return District(
        district=district,
        aishan=aishan,
        meiyuan=meiyuan,
        meiyuan_grid=unit("370117001001001", "梅苑社区第一网格", L.GRID, meiyuan),
        meiyuan_grid2=unit("370117001001002", "梅苑社区第二网格", L.GRID, meiyuan),
        yongxing=yongxing,
        wenyuan=wenyuan,
        honggou=honggou,
        honggou_grid=unit("370117003001001", "洪沟社区第一网格", L.GRID, honggou),
        yanzhuang=yanzhuang,
        liuqiaoyu=liuqiaoyu,
        liuqiaoyu_grid=unit("370117004201001", "柳桥峪村第一网格", L.GRID, liuqiaoyu),
    )


def person(username: str, unit_: AdministrativeUnit | None = None, role: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    if unit_ is not None:
        Membership.objects.create(user=user, unit=unit_, role=role)
    return user


def build_personas(d: District) -> Personas:
    return Personas(
        district_staff=person("district", d.district, "district_staff"),
        aishan_official=person("aishan", d.aishan, "street_official"),
        wenyuan_official=person("wenyuan", d.wenyuan, "street_official"),
        meiyuan_worker=person("meiyuan", d.meiyuan, "community_worker"),
        grid_worker=person("meiyuan_grid", d.meiyuan_grid, "grid_worker"),
        village_clerk=person("liuqiaoyu_clerk", d.liuqiaoyu, "village_clerk"),
        supervisor=person("liuqiaoyu_supervisor", d.liuqiaoyu, "supervisor"),
        volunteer_leader=person("hongou_volunteers", d.honggou, "volunteer_leader"),
        outsider=person("outsider"),
    )
