"""The volunteer pages: what each role reaches (out of scope is a 404), masking on every output
path (record, certificate, exports, counter), bad input answered next to the field."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.tasks import run_queued_tasks
from tests.volunteers.conftest import at
from volunteers.models import Activity, Certificate, HoursStatus, ServiceHours, Volunteer
from volunteers.services.activities import HoursLine, activity_create, hours_record, hours_verify

pytestmark = pytest.mark.django_db

RAW = ("张三", "13812345670")


def done_activity(world, people, hours="3"):
    day = timezone.localdate() - timedelta(days=1)
    made = activity_create(
        by=people.volunteer_leader,
        team=world.team,
        title="敬老院助老",
        theme=world.theme,
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        place="洪沟社区敬老院",
        capacity=10,
        served=40,
    )
    hours_record(
        by=people.volunteer_leader,
        activity=made,
        lines=[HoursLine(world.members[0], Decimal(hours))],
    )
    hours_verify(by=world.honggou_worker, activity=made)
    return made


def assert_masked(text: str, volunteer) -> None:
    assert volunteer.id_number not in text
    assert volunteer.phone not in text
    assert volunteer.id_number[:6] + "********" + volunteer.id_number[-4:] in text


def test_the_record_shows_services_hours_and_points_masked(world, people, client_for):
    done_activity(world, people)
    volunteer = world.members[0]
    page = client_for(people.wenyuan_official).get(volunteer.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert_masked(text, volunteer)
    assert "张*" in text and "张三" not in text
    assert "敬老院助老" in text and "3.0" in text
    assert re.search(r'class="points-balance">\s*30<', text)


def test_out_of_scope_records_are_404(world, people, client_for):
    volunteer = world.members[0]
    for user in (people.aishan_official, people.grid_worker, people.outsider):
        assert client_for(user).get(volunteer.get_absolute_url()).status_code == 404
    team = world.team
    assert client_for(people.aishan_official).get(team.get_absolute_url()).status_code == 404
    assert client_for(people.outsider).get("/volunteers/").status_code == 404


def test_lists_show_only_the_users_subtree(world, people, district, client_for):
    Volunteer(
        unit=district.meiyuan, name="梅苑人", id_number="11010519491231002X", joined_on="2022-01-01"
    ).save()
    aishan = client_for(people.aishan_official).get("/volunteers/").content.decode()
    assert "梅*" in aishan and "张*" not in aishan
    wenyuan = client_for(people.wenyuan_official).get("/volunteers/").content.decode()
    assert "梅*" not in wenyuan and "张*" in wenyuan


def test_the_certificate_is_numbered_and_masks_the_id_number(world, people, client_for):
    done_activity(world, people)
    volunteer = world.members[0]
    client = client_for(world.honggou_worker)
    page = client.get(volunteer.get_absolute_url())
    key = re.search(r'name="submission_key" value="([^"]+)"', page.content.decode()).group(1)
    answer = client.post(
        f"/volunteers/{volunteer.pk}/certificates/", {"submission_key": key, "purpose": "评优"}
    )
    certificate = Certificate.objects.get()
    assert answer["Location"] == certificate.get_absolute_url()
    assert re.fullmatch(rf"GCZYZ-{timezone.localdate().year}-000001", certificate.number)
    # A double submit issues nothing more.
    client.post(f"/volunteers/{volunteer.pk}/certificates/", {"submission_key": key})
    assert Certificate.objects.count() == 1
    text = client.get(certificate.get_absolute_url()).content.decode()
    assert_masked(text, volunteer)
    assert certificate.number in text and "洪沟社区" in text and "3.0" in text
    assert "弘扬雷锋精神" in text
    assert certificate.hours == Decimal("3.0")


def test_a_volunteer_without_verified_service_gets_no_certificate(world, people, client_for):
    volunteer = world.members[1]
    client = client_for(world.honggou_worker)
    page = client.get(volunteer.get_absolute_url()).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    answer = client.post(f"/volunteers/{volunteer.pk}/certificates/", {"submission_key": key})
    assert answer.status_code == 200
    assert not Certificate.objects.exists()


def test_the_export_masks_personal_data(world, people, client_for):
    answer = client_for(people.wenyuan_official).get("/volunteers/export/")
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    flat = " ".join(cells)
    for volunteer in world.members:
        assert volunteer.id_number not in flat and volunteer.phone not in flat
        assert volunteer.name not in cells
    assert "张*" in cells


def test_a_leader_logs_an_activity_and_bad_hours_are_refused_without_change(
    world, people, client_for
):
    client = client_for(people.volunteer_leader)
    form = client.get("/volunteers/activities/new/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    day = timezone.localdate() - timedelta(days=2)
    answer = client.post(
        "/volunteers/activities/new/",
        {
            "submission_key": key,
            "title": "中考护航",
            "team": world.team.pk,
            "theme": world.theme.pk,
            "target_groups": [world.group.pk],
            "starts_at": f"{day}T07:00",
            "ends_at": f"{day}T09:00",
            "place": "钢城区实验中学",
            "capacity": 5,
            "served": 300,
        },
    )
    activity = Activity.objects.get()
    assert answer["Location"] == activity.get_absolute_url()
    a, b = world.members[:2]
    bad = client.post(
        f"/volunteers/activities/{activity.pk}/hours/",
        {f"hours_{a.pk}": "2", f"hours_{b.pk}": "2.5"},
    )
    assert bad.status_code == 200
    assert "2.5" in bad.content.decode() and not ServiceHours.objects.exists()
    junk = client.post(f"/volunteers/activities/{activity.pk}/hours/", {f"hours_{a.pk}": "两"})
    assert junk.status_code == 200 and not ServiceHours.objects.exists()
    good = client.post(
        f"/volunteers/activities/{activity.pk}/hours/",
        {f"hours_{a.pk}": "2", f"hours_{b.pk}": "1.5"},
    )
    assert good.status_code == 302
    assert ServiceHours.objects.filter(status=HoursStatus.RECORDED).count() == 2
    # The leader cannot verify; the community can.
    assert client.post(f"/volunteers/activities/{activity.pk}/verify/").status_code == 404
    verify = client_for(world.honggou_worker).post(f"/volunteers/activities/{activity.pk}/verify/")
    assert verify.status_code == 302
    assert ServiceHours.objects.filter(status=HoursStatus.VERIFIED).count() == 2


def test_the_counter_finds_by_full_id_number_and_redeems_once(world, people, client_for):
    done_activity(world, people)
    volunteer = world.members[0]
    client = client_for(world.counter)
    shop = world.supermarket.get_absolute_url()
    answer = client.post(f"{shop}find/", {"id_number": volunteer.id_number})
    assert answer["Location"].startswith(f"{shop}?card=")
    found = client.get(answer["Location"]).content.decode()
    assert_masked(found, volunteer)
    key = re.search(r'name="submission_key" value="([^"]+)"', found).group(1)
    post = {
        "submission_key": key,
        "card": re.search(r'name="card" value="([^"]+)"', found).group(1),
        "goods": world.goods.pk,
        "quantity": 1,
    }
    assert client.post(f"{shop}redeem/", post).status_code == 302
    assert client.post(f"{shop}redeem/", post).status_code == 302  # double submit
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 0
    # Beyond the balance: a message next to the field, nothing changed.
    page = client.get(answer["Location"]).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    refused = client.post(f"{shop}redeem/", {**post, "submission_key": key})
    assert refused.status_code == 200 and "field-error" in refused.content.decode()
    world.goods.refresh_from_db()
    assert world.goods.stock == 4
    unknown = client.post(f"{shop}find/", {"id_number": "11010519491231002X"}).content.decode()
    assert "field-error" in unknown


def test_a_leader_cannot_use_the_counter(world, people, client_for):
    client = client_for(people.volunteer_leader)
    volunteer = world.members[0]
    shop = world.supermarket.get_absolute_url()
    answer = client.post(
        f"{shop}redeem/", {"volunteer": volunteer.pk, "goods": world.goods.pk, "quantity": 1}
    )
    assert answer.status_code == 404


def test_the_import_page_starts_a_job_and_shows_its_progress(
    world, people, client_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(people.wenyuan_official)
    text = "姓名,证件号码\n新人,110105194912310021\n新人二,11010519491231002X\n"
    answer = client.post(
        "/volunteers/import/",
        {
            "unit": world.team.unit.pk,
            "file": SimpleUploadedFile("roll.csv", text.encode(), "text/csv"),
        },
    )
    assert answer.status_code == 302
    waiting = client.get(answer["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" in waiting  # queued for a worker: the page polls
    run_queued_tasks()
    progress = client.get(answer["Location"], headers={"HX-Request": "true"}).content.decode()
    assert progress.lstrip().startswith('<div id="import-progress"')
    assert "hx-trigger" not in progress  # finished: no more polling
    assert re.search(r'class="count-created">1<', progress)
    assert re.search(r'class="count-bad">1<', progress)
    assert "<td>2</td>" in progress  # the bad line
    # Someone else's job is not theirs to see.
    assert client_for(people.aishan_official).get(answer["Location"]).status_code == 404


def test_only_the_district_edits_the_points_rules(world, people, client_for):
    from volunteers.models import HOURS_RULE, PointRule

    rule = PointRule.objects.get(key=HOURS_RULE)
    post = {"rule": rule.pk, "version": rule.version, "points": 12, "active": "on"}
    assert (
        client_for(people.wenyuan_official).post("/volunteers/points/rules/", post).status_code
        == 404
    )
    client = client_for(people.district_staff)
    assert client.post("/volunteers/points/rules/", post).status_code == 302
    stale = client.post("/volunteers/points/rules/", {**post, "points": 15})
    assert stale.status_code == 409
    rule.refresh_from_db()
    assert rule.points == 12


def test_a_name_or_skill_typed_as_a_formula_is_exported_as_text(world, people, client_for):
    Volunteer.objects.filter(pk=world.members[0].pk).update(
        name="=1+1", skills=['=HYPERLINK("http://x.cn","点我")', "@cmd"]
    )
    answer = client_for(people.wenyuan_official).get("/volunteers/export/")
    cells = [c for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "=***" in texts and '=HYPERLINK("http://x.cn","点我")、@cmd' in texts, texts
