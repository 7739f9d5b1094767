"""An import never reaches outside the importer's scope: a roll naming people registered in
other units changes nothing of theirs and reports those rows as bad, without naming the unit
that holds them (issue 14, item 1)."""

import re

import pytest
from django.forms.models import model_to_dict

from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import AdministrativeUnit, Membership, UnitLevel, User
from tests.tasks import run_queued_tasks
from tests.volunteers.conftest import id_number
from tests.volunteers.test_import import csv_file
from volunteers.models import ImportJob, Volunteer
from volunteers.services import imports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def registered(unit, n: int, name: str) -> Volunteer:
    volunteer = Volunteer(
        unit=unit, name=name, phone=f"1371234000{n}", id_number=id_number(9000 + n)
    )
    volunteer.save()
    return volunteer


def test_the_meiyuan_worker_s_roll_leaves_volunteers_of_honggou_and_a_yanzhuang_village_alone(
    people, district, client_for
):
    """The security probe's repro: 梅苑社区's community worker uploads a roll holding the ID
    numbers of a volunteer of 洪沟社区 and one of 柳桥峪村 (颜庄街道)."""
    honggou = registered(district.honggou, 1, "洪沟人")
    village = registered(district.liuqiaoyu, 2, "柳桥峪人")
    before = [model_to_dict(v) for v in (honggou, village)]
    rows = [
        ["冒名甲", honggou.id_number, "13900000001", "", "", "", ""],
        ["新人", id_number(1), "13900000002", "", "", "", ""],
        ["冒名乙", village.id_number, "13900000003", "", "", "", ""],
    ]
    client = client_for(people.meiyuan_worker)
    answer = client.post(
        "/volunteers/import/", {"unit": district.meiyuan.pk, "file": csv_file(rows)}
    )
    run_queued_tasks()
    assert answer.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert (job.created, job.updated, job.unchanged, job.bad) == (1, 0, 0, 2)
    assert [line for line, _message in job.errors] == [2, 4]
    assert [
        model_to_dict(Volunteer.objects.get(pk=pk)) for pk in (honggou.pk, village.pk)
    ] == before
    assert Volunteer.objects.get(id_number=id_number(1)).unit == district.meiyuan
    page = client.get(answer["Location"]).content.decode()
    assert re.search(r'class="count-bad">2<', page)
    assert re.search(r'class="count-updated">0<', page)
    for message in (m for _line, m in job.errors):
        assert "梅苑社区" in message and "调" in message
    for elsewhere in ("洪沟", "汶源", "柳桥峪", "颜庄"):
        assert elsewhere not in page and elsewhere not in str(job.errors)
    # Their own units still reach them.
    assert client_for(people.wenyuan_official).get(honggou.get_absolute_url()).status_code == 200
    assert stored_facts() == recomputed_facts()


def test_a_roll_may_still_move_people_within_its_own_subtree(people, district):
    """The street's roll moves a volunteer between two of its communities (its own business),
    while one of another street's communities stays where it is."""
    other_community = AdministrativeUnit(
        code="370117003002", name="府前社区", level=UnitLevel.COMMUNITY, parent=district.wenyuan
    )
    other_community.save()
    mine = registered(district.honggou, 3, "洪沟人")
    theirs = registered(district.yongxing, 4, "永兴人")
    rows = [
        [mine.name, mine.id_number, mine.phone, other_community.code, "", "", ""],
        [theirs.name, theirs.id_number, theirs.phone, other_community.code, "", "", ""],
    ]
    job = imports.import_start(
        by=people.wenyuan_official, unit=district.wenyuan, upload=csv_file(rows)
    )
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.created, job.updated, job.bad) == (0, 1, 1)
    assert Volunteer.objects.get(pk=mine.pk).unit == other_community
    assert Volunteer.objects.get(pk=theirs.pk).unit == district.yongxing
    assert stored_facts() == recomputed_facts()


def test_an_importer_with_grants_in_two_streets_imports_into_one_at_a_time(people, district):
    """The job's unit bounds the import, not everything its author may reach."""
    both = User.objects.create_user("both_streets", password="x")  # noqa: S106
    Membership.objects.create(user=both, unit=district.aishan, role="street_official")
    Membership.objects.create(user=both, unit=district.wenyuan, role="street_official")
    theirs = registered(district.meiyuan, 5, "梅苑人")
    rows = [["改名", theirs.id_number, "", "", "", "", ""]]
    job = imports.import_start(by=both, unit=district.wenyuan, upload=csv_file(rows))
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.updated, job.bad) == (0, 1)
    assert Volunteer.objects.get(pk=theirs.pk).name == "梅苑人"
