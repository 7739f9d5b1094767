"""Importing units from CSV: good files land whole; a file with any bad line changes nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from core.models import AdministrativeUnit
from core.models.units import short_name
from core.services.unit_import import unit_import
from tests.factories import person
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

GOOD = """code,name,level,parent code
370117001003,新建社区,社区,370117001000
370117001003001,新建社区第一网格,网格,370117001003
370117001003002,新建社区第二网格,grid,370117001003
370117001204,新建村,村,370117001000
"""


def run(user, text: str, encoding: str = "utf-8"):
    return unit_import(by=user, data=text.encode(encoding))


def test_a_good_file_creates_every_unit_under_its_parent(district, people):
    report = run(people.district_staff, GOOD)
    assert report.ok and report.created == 4
    grid = AdministrativeUnit.objects.get(code="370117001003002")
    assert grid.parent.code == "370117001003"
    assert grid.path == "/370117000000/370117001000/370117001003/370117001003002/"


def test_children_may_come_before_their_parents(district, people):
    lines = GOOD.strip().splitlines()
    report = run(people.district_staff, "\n".join([lines[0], *reversed(lines[1:])]))
    assert report.ok and report.created == 4


def test_a_gb18030_file_from_excel_is_read(district, people):
    report = run(people.district_staff, GOOD, encoding="gb18030")
    assert report.ok and AdministrativeUnit.objects.filter(name="新建村").exists()


@pytest.mark.parametrize(
    "line, message",
    [
        ("370117001003,无上级,社区,370117009000", "找不到上级代码 370117009000"),
        ("370117001001,重复社区,社区,370117001000", "代码 370117001001 重复"),
        ("370117001003,未知层级,小区,370117001000", "未知的层级“小区”"),
        ("370117003005,错前缀,社区,370117001000", "必须以上级单位的代码 370117001"),
        ("370117001000999,街道下网格,网格,370117001000", "网格不能直接设在街道之下"),
        ("37011700100,短代码,社区,370117001000", "应为12位数字"),
        ("370117001003,,社区,370117001000", "名称不能为空"),
        ("370117001003,少一列,社区", "应有4列"),
    ],
)
def test_each_bad_line_is_reported_and_nothing_changes(district, people, line, message):
    before = AdministrativeUnit.objects.count()
    report = run(people.district_staff, GOOD + line + "\n")
    assert not report.ok
    assert any(message in e.message and e.line == 6 for e in report.errors), report.errors
    assert AdministrativeUnit.objects.count() == before


def test_a_duplicate_inside_the_file_names_both_lines(district, people):
    report = run(people.district_staff, GOOD + "370117001204,又一个村,村,370117001000\n")
    assert any(e.line == 6 and "第5行" in e.message for e in report.errors)


def test_every_bad_line_is_listed_not_just_the_first(district, people):
    bad = "370117001003,甲,小区,370117001000\n370117001004,乙,社区,370117009000\n"
    report = run(people.district_staff, bad)
    assert [e.line for e in report.errors] == [1, 2]


def test_a_file_that_is_not_text_is_refused(district, people):
    report = unit_import(by=people.district_staff, data=b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00")
    assert not report.ok and "编码" in report.errors[0].message


def test_units_outside_the_importers_scope_are_refused(district, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(people.aishan_official, GOOD)


def test_the_page_queues_the_file_and_shows_the_report_in_place(
    district, people, client_for, htmx_headers, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people.district_staff)
    upload = SimpleUploadedFile(
        "units.csv", (GOOD + "370117001005,坏,小区,370117001000\n").encode()
    )
    response = client.post("/units/import/", {"file": upload}, headers=htmx_headers)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    polled = re.search(r'hx-get="(/units/import/\?task=[0-9a-f-]+)"', html)
    assert polled and 'hx-trigger="every 1s"' in html  # queued: the fragment polls
    run_queued_tasks()
    html = client.get(polled[1].replace("&amp;", "&"), headers=htmx_headers).content.decode()
    assert "未导入任何单位" in html and "<html" not in html and 'hx-trigger="every' not in html
    assert not AdministrativeUnit.objects.filter(code="370117001003").exists()
    assert not list(tmp_path.rglob("*.csv"))  # the kept upload is gone once read
    # The run is its starter's: another district official, or a made-up id, gets a 404.
    other = client_for(person("district2", district.district, "district_staff"))
    assert other.get(polled[1]).status_code == 404
    assert client.get("/units/import/?task=not-a-uuid").status_code == 404


def test_the_page_without_javascript_shows_the_whole_page(
    district, people, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people.district_staff)
    upload = SimpleUploadedFile("units.csv", GOOD.encode())
    response = client.post("/units/import/", {"file": upload})
    assert response.status_code == 302 and "?task=" in response["Location"]
    waiting = client.get(response["Location"]).content.decode()
    assert "等待" in waiting and "已导入" not in waiting
    run_queued_tasks()
    html = client.get(response["Location"]).content.decode()
    assert "<html" in html and "已导入4个单位" in html


def test_a_file_that_is_not_csv_is_refused_next_to_the_field(district, people, client_for):
    upload = SimpleUploadedFile("units.xlsx", GOOD.encode())
    response = client_for(people.district_staff).post("/units/import/", {"file": upload})
    assert response.status_code == 200 and "CSV" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_a_street_official_has_no_import_page(district, people, client_for):
    assert client_for(people.aishan_official).get("/units/import/").status_code == 404


def test_a_file_naming_another_districts_units_changes_nothing_of_theirs(district, people):
    """钢城区's staff import lines placing units under 莱芜区's street and reusing its codes:
    every such line is refused and 莱芜区's units stay as they were."""
    from django.forms.models import model_to_dict

    from tests.factories import unit

    laiwu = unit("370116000000", "莱芜区", "district")
    street = unit("370116001000", "凤城街道", "street", laiwu)
    theirs = list(AdministrativeUnit.objects.filter(path__startswith=laiwu.path).order_by("pk"))
    before = [model_to_dict(u) for u in theirs]
    lines = (
        "code,name,level,parent code\n"
        "370116001001,新社区,社区,370116001000\n"  # under their street
        "370116001000,改名街道,街道,370117000000\n"  # their street's code, under ours
        "370117001003,新建社区,社区,370117001000\n"  # ours: fine on its own
    )
    report = run(people.district_staff, lines)
    assert [e.line for e in report.errors] == [2, 3]
    assert "370116001000" in report.errors[0].message
    assert AdministrativeUnit.objects.filter(path__startswith=laiwu.path).count() == 2
    assert [model_to_dict(AdministrativeUnit.objects.get(pk=u.pk)) for u in theirs] == before
    assert not AdministrativeUnit.objects.filter(code="370117001003").exists()
    assert street.children.count() == 0


@pytest.mark.parametrize(
    "official, short",
    [
        ("梅苑社区居民委员会", "梅苑社区"),
        ("汶源街道梅苑社区居民委员会", "梅苑社区"),
        ("古墩村村民委员会", "古墩村"),
        ("中施家峪村村民委会", "中施家峪村"),
        ("贤女庙村村民村委会", "贤女庙村"),
        ("验货台居民委员会", "验货台居委会"),
        ("艾山街道", "艾山街道"),
    ],
)
def test_a_short_name_is_derived_from_the_official_one(official, short):
    assert short_name(official, "汶源街道") == short


def test_the_official_list_loads_into_an_empty_portal_and_a_second_time_changes_nothing():
    from pghistory.models import Events

    from core.demo.district import DIVISIONS

    first = unit_import(by=None, data=DIVISIONS.read_bytes())
    assert first.ok and first.created == 260
    events = Events.objects.count()
    again = unit_import(by=None, data=DIVISIONS.read_bytes())
    assert again.ok and (again.created, again.unchanged) == (0, 260)
    assert Events.objects.count() == events
    meiyuan = AdministrativeUnit.objects.get(code="370117003010")
    assert (meiyuan.name, meiyuan.official_name) == ("梅苑社区", "梅苑社区居民委员会")
    assert meiyuan.parent.name == "汶源街道" and meiyuan.kind == "residents"
    qishan = AdministrativeUnit.objects.get(code="370117400000")
    assert (qishan.level, qishan.kind) == ("street", "other_township")
    assert AdministrativeUnit.objects.get(code="370117000000").parent is None


def test_the_command_loads_a_districts_own_file(tmp_path):
    from django.core.management import call_command

    own = tmp_path / "laiwu.csv"
    own.write_text(
        "code,name,kind,parent_code\n"
        "370116000000,莱芜区,区县,370100000000\n"
        "370116001000,凤城街道,街道,370116000000\n"
        "370116001001,花园社区居民委员会,居民委员会,370116001000\n"
        "370116001201,西关村村民委员会,村民委员会,370116001000\n",
        encoding="utf-8",
    )
    call_command("load_units", str(own))
    call_command("load_units", str(own))
    assert AdministrativeUnit.objects.count() == 4
    assert AdministrativeUnit.objects.get(code="370116001201").name == "西关村"


def test_only_a_system_administrator_loads_a_new_district(district, people):
    report = run(people.district_staff, "370116000000,莱芜区,区县,370100000000\n")
    assert not report.ok and "系统管理员" in report.errors[0].message
    assert not AdministrativeUnit.objects.filter(code="370116000000").exists()


def test_a_new_portals_administrator_loads_the_district_on_the_page(
    admin_client, settings, tmp_path
):
    from core.demo.district import DIVISIONS

    settings.MEDIA_ROOT = tmp_path
    landing = admin_client.get("/", follow=True).content.decode()
    assert "/units/import/" in landing  # an empty portal points its administrator at the import
    for attempt in (1, 2):
        upload = SimpleUploadedFile("gangcheng.csv", DIVISIONS.read_bytes())
        response = admin_client.post("/units/import/", {"file": upload})
        assert response.status_code == 302
        run_queued_tasks()
        html = admin_client.get(response["Location"]).content.decode()
        if attempt == 1:
            assert "已导入260个单位" in html
        else:
            assert "文件中的260个单位均已存在，未作任何更改" in html and "已导入" not in html
    assert AdministrativeUnit.objects.count() == 260
