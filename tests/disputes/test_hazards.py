"""Safety hazards: reported from the grid with a photo, rectified at the version the page showed,
listed by state, and counted in tallies that equal a count over the records."""

import struct
import uuid
import zlib
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from PIL import Image

from core.metrics import Period, evaluate
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import SubmissionKey
from disputes.models import Hazard

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def today() -> date:
    return timezone.localdate()


def photo_with_gps(name: str = "IMG_2041.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (36.0, 12.0, 30.0), 3: "E", 4: (117.0, 40.0, 10.0)}
    out = BytesIO()
    Image.new("RGB", (120, 90), (180, 40, 40)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def report(client, unit, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "unit": unit.pk,
        "category": "electric",
        "place": "梅苑小区3号楼楼道",
        "description": "电动车在楼道内充电",
        "severity": "high",
        "found_on": today().isoformat(),
        "deadline": (today() + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return client.post("/hazards/new/", data)


def rectify(client, hazard, **overrides):
    data = {
        "version": hazard.version,
        "rectification": "已清理楼道，劝导住户到集中充电点充电",
        "rectified_on": today().isoformat(),
    }
    data.update(overrides)
    return client.post(f"/hazards/{hazard.pk}/rectify/", data)


def served(response) -> bytes:
    # Reading to the end closes the file; the test client keeps the database connection open.
    return b"".join(response.streaming_content)


def media_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def make_hazard(unit, by, *, found_on, deadline, rectified_on=None, place="路口") -> Hazard:
    hazard = Hazard(
        unit=unit,
        category="traffic",
        place=place,
        description="隐患",
        severity="medium",
        found_on=found_on,
        deadline=deadline,
        rectified_on=rectified_on,
        rectification="已整改" if rectified_on else "",
        reported_by=by,
    )
    hazard.save()
    return hazard


# Reporting


def test_a_grid_worker_reports_a_hazard_and_lands_on_its_page(district, people, client_for):
    response = report(client_for(people.grid_worker), district.meiyuan_grid)
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == hazard.get_absolute_url() == f"/hazards/{hazard.pk}/"
    assert hazard.reported_by == people.grid_worker
    assert hazard.unit == district.meiyuan_grid
    assert (hazard.category, hazard.severity) == ("electric", "high")
    assert hazard.rectified_on is None and hazard.version == 1
    assert not hazard.photo
    page = client_for(people.grid_worker).get(response["Location"])
    assert page.status_code == 200 and "梅苑小区3号楼楼道" in page.content.decode()


def test_the_form_offers_only_the_grid_workers_own_grid(district, people, client_for):
    response = client_for(people.grid_worker).get("/hazards/new/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [district.meiyuan_grid]


def test_a_unit_outside_the_workers_grid_is_refused(district, people, client_for):
    response = report(client_for(people.grid_worker), district.meiyuan_grid2)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Hazard.objects.exists()


def test_someone_who_may_only_view_cannot_report(district, people, client_for):
    client = client_for(people.village_clerk)
    assert client.get("/hazards/new/").status_code == 404
    assert report(client, district.liuqiaoyu).status_code == 404
    assert not Hazard.objects.exists()


def test_the_photo_is_stored_reencoded_without_location(district, people, client_for, media_root):
    report(client_for(people.grid_worker), district.meiyuan_grid, photo=photo_with_gps())
    hazard = Hazard.objects.get()
    assert hazard.photo.name.startswith("hazards/") and hazard.photo.name.endswith(".jpg")
    assert "IMG_2041" not in hazard.photo.name
    with hazard.photo.open("rb") as stored:
        image = Image.open(BytesIO(stored.read()))
    assert image.format == "JPEG" and image.size == (120, 90)
    assert "exif" not in image.info and not image.getexif().get_ifd(GPS_IFD)
    assert media_files(media_root) == [media_root / hazard.photo.name]


def test_the_photo_is_served_only_through_the_portal_to_users_in_scope(
    district, people, client_for
):
    report(client_for(people.grid_worker), district.meiyuan_grid, photo=photo_with_gps())
    hazard = Hazard.objects.get()
    with hazard.photo.open("rb") as stored:
        stored_bytes = stored.read()
    url = f"/hazards/{hazard.pk}/photo/before/"
    for user in (
        people.grid_worker,
        people.meiyuan_worker,
        people.aishan_official,
        people.district_staff,
    ):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/jpeg"
        assert served(response) == stored_bytes
    for user in (people.wenyuan_official, people.village_clerk, people.outsider):
        assert client_for(user).get(url).status_code == 404, user
    # Not on a public media URL, and not for the anonymous public.
    assert client_for(people.grid_worker).get(hazard.photo.url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_photo_that_was_not_taken_is_not_found(district, people, client_for):
    report(client_for(people.grid_worker), district.meiyuan_grid)
    hazard = Hazard.objects.get()
    client = client_for(people.grid_worker)
    assert client.get(f"/hazards/{hazard.pk}/photo/before/").status_code == 404
    assert client.get(f"/hazards/{hazard.pk}/photo/after/").status_code == 404
    assert client.get(f"/hazards/{hazard.pk}/photo/original/").status_code == 404


def test_another_streets_official_gets_404_for_detail_photo_and_rectify(
    district, people, client_for
):
    report(client_for(people.grid_worker), district.meiyuan_grid, photo=photo_with_gps())
    hazard = Hazard.objects.get()
    client = client_for(people.wenyuan_official)
    assert client.get(f"/hazards/{hazard.pk}/").status_code == 404
    assert client.get(f"/hazards/{hazard.pk}/photo/before/").status_code == 404
    assert rectify(client, hazard).status_code == 404
    hazard.refresh_from_db()
    assert hazard.rectified_on is None and hazard.version == 1
    listed = client.get("/hazards/")
    assert listed.status_code == 200 and listed.context["page"].rows == []


def test_a_viewer_sees_the_hazard_but_cannot_rectify_it(district, people, client_for):
    hazard = make_hazard(
        district.honggou_grid,
        people.district_staff,
        found_on=today() - timedelta(days=3),
        deadline=today() + timedelta(days=3),
    )
    client = client_for(people.volunteer_leader)
    page = client.get(f"/hazards/{hazard.pk}/")
    assert page.status_code == 200 and page.context["form"] is None
    assert rectify(client, hazard).status_code == 404
    hazard.refresh_from_db()
    assert hazard.rectified_on is None


def test_a_double_submit_reports_one_hazard(district, people, client_for):
    client = client_for(people.grid_worker)
    key = str(uuid.uuid4())
    first = report(client, district.meiyuan_grid, submission_key=key, photo=photo_with_gps())
    second = report(client, district.meiyuan_grid, submission_key=key, photo=photo_with_gps())
    assert Hazard.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == Hazard.objects.get().get_absolute_url()


@pytest.mark.parametrize(
    "overrides, field",
    [
        (
            {
                "found_on": (date.today() - timedelta(days=5)).isoformat(),
                "deadline": (date.today() - timedelta(days=6)).isoformat(),
            },
            "deadline",
        ),
        ({"found_on": (date.today() + timedelta(days=2)).isoformat()}, "found_on"),
        ({"found_on": "2025-02-30"}, "found_on"),
        ({"severity": "catastrophic"}, "severity"),
        ({"place": ""}, "place"),
        ({"photo": SimpleUploadedFile("p.jpg", b"<svg onload=alert(1)>")}, "photo"),
    ],
    ids=[
        "deadline-before-found",
        "found-in-future",
        "no-such-day",
        "bad-severity",
        "no-place",
        "not-a-photo",
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(
    district, people, client_for, media_root, overrides, field
):
    if field != "photo":
        overrides = {**overrides, "photo": photo_with_gps()}
    response = report(client_for(people.grid_worker), district.meiyuan_grid, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and set(errors) == {field}
    assert not Hazard.objects.exists() and not SubmissionKey.objects.exists()
    assert media_files(media_root) == []
    assert stored_facts() == recomputed_facts()


def test_a_png_without_pixel_data_is_refused_next_to_the_photo(district, people, client_for):
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header_only = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 10, 10, 8, 2, 0, 0, 0))
        + chunk(b"IEND", b"")
    )
    photo = SimpleUploadedFile("p.png", header_only, content_type="image/png")
    response = report(client_for(people.grid_worker), district.meiyuan_grid, photo=photo)
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert not Hazard.objects.exists()


def test_a_deadline_on_the_day_found_is_accepted(district, people, client_for):
    day = today().isoformat()
    report(client_for(people.grid_worker), district.meiyuan_grid, found_on=day, deadline=day)
    assert Hazard.objects.get().deadline == today()


# Rectifying


def test_rectifying_records_what_was_done(district, people, client_for, media_root):
    report(client_for(people.grid_worker), district.meiyuan_grid)
    hazard = Hazard.objects.get()
    client = client_for(people.meiyuan_worker)
    response = rectify(client, hazard, photo_after=photo_with_gps("after.jpg"))
    assert response.status_code == 302 and response["Location"] == hazard.get_absolute_url()
    hazard.refresh_from_db()
    assert hazard.rectified_on == today() and hazard.version == 2
    assert "集中充电点" in hazard.rectification
    after = served(client.get(f"/hazards/{hazard.pk}/photo/after/"))
    image = Image.open(BytesIO(after))
    assert image.format == "JPEG" and not image.getexif().get_ifd(GPS_IFD)


def test_a_stale_version_conflicts_and_changes_nothing(district, people, client_for, media_root):
    report(client_for(people.grid_worker), district.meiyuan_grid)
    opened = Hazard.objects.get()  # both open the page at version 1
    assert rectify(client_for(people.meiyuan_worker), opened).status_code == 302
    saved = Hazard.objects.get()
    response = rectify(
        client_for(people.grid_worker),
        opened,
        rectification="另一种说法",
        rectified_on=today().isoformat(),
        photo_after=photo_with_gps("late.jpg"),
    )
    assert response.status_code == 409
    assert media_files(media_root) == []
    assert not saved.photo_after
    assert response.context["conflict"].version == 2
    current = Hazard.objects.get()
    assert (current.version, current.rectification, current.rectified_on) == (
        saved.version,
        saved.rectification,
        saved.rectified_on,
    )
    assert "另一种说法" not in current.rectification
    assert stored_facts() == recomputed_facts()


def test_a_rectification_before_the_hazard_was_found_is_refused(district, people, client_for):
    hazard = make_hazard(
        district.meiyuan_grid,
        people.grid_worker,
        found_on=today() - timedelta(days=2),
        deadline=today() + timedelta(days=2),
    )
    client = client_for(people.grid_worker)
    early = rectify(client, hazard, rectified_on=(today() - timedelta(days=3)).isoformat())
    future = rectify(client, hazard, rectified_on=(today() + timedelta(days=1)).isoformat())
    for response in (early, future):
        assert response.status_code == 200
        assert "rectified_on" in response.context["form"].errors
    hazard.refresh_from_db()
    assert hazard.rectified_on is None and hazard.version == 1


# Listing


def test_the_overdue_filter_shows_only_overdue_hazards(district, people, client_for):
    by = people.district_staff
    t = today()
    overdue = make_hazard(
        district.meiyuan_grid, by, found_on=t - timedelta(10), deadline=t - timedelta(1)
    )
    make_hazard(district.meiyuan, by, found_on=t - timedelta(10), deadline=t, place="due today")
    make_hazard(district.yongxing, by, found_on=t - timedelta(1), deadline=t + timedelta(5))
    make_hazard(
        district.meiyuan_grid2,
        by,
        found_on=t - timedelta(10),
        deadline=t - timedelta(5),
        rectified_on=t - timedelta(2),
        place="fixed late",
    )
    elsewhere = make_hazard(
        district.honggou_grid, by, found_on=t - timedelta(20), deadline=t - timedelta(3)
    )

    aishan = client_for(people.aishan_official).get("/hazards/", {"state": "overdue"})
    assert aishan.status_code == 200
    assert aishan.context["page"].rows == [overdue] and aishan.context["total"] == 1

    everywhere = client_for(people.district_staff).get("/hazards/", {"state": "overdue"})
    assert set(everywhere.context["page"].rows) == {overdue, elsewhere}
    assert all(h.is_overdue for h in everywhere.context["page"].rows)

    assert client_for(people.aishan_official).get("/hazards/").context["total"] == 4
    done = client_for(people.aishan_official).get("/hazards/", {"state": "done"})
    assert [h.place for h in done.context["page"].rows] == ["fixed late"]
    still_open = client_for(people.aishan_official).get("/hazards/", {"state": "open"})
    assert still_open.context["total"] == 3


def test_the_overdue_filter_answers_htmx_with_the_results_only(
    district, people, client_for, htmx_headers
):
    t = today()
    make_hazard(
        district.meiyuan_grid,
        people.grid_worker,
        found_on=t - timedelta(9),
        deadline=t - timedelta(2),
        place="消防通道堵塞",
    )
    response = client_for(people.grid_worker).get(
        "/hazards/", {"state": "overdue"}, headers=htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200 and "消防通道堵塞" in html
    assert 'id="results"' in html and "<html" not in html


# Tallies


def counted(unit, period: Period) -> dict[str, int]:
    """The three hazard figures counted straight from the records."""
    rows = Hazard.objects.filter(unit__path__startswith=unit.path)
    return {
        "hazards.found": rows.filter(found_on__range=(period.start, period.end)).count(),
        "hazards.rectified": rows.filter(rectified_on__range=(period.start, period.end)).count(),
        # Overdue as of the end of the period: the deadline has passed and the fix, if any,
        # came after the end (a fix on the day after the deadline ends it that same day).
        "hazards.overdue": rows.filter(deadline__lt=period.end)
        .filter(Q(rectified_on__isnull=True) | Q(rectified_on__gt=period.end))
        .count(),
    }


def figures(unit, period: Period) -> dict[str, int]:
    values = evaluate(unit, period)
    return {key: values[key] for key in ("hazards.found", "hazards.rectified", "hazards.overdue")}


def test_tallies_equal_a_count_over_the_hazards_after_these_writes(district, people, client_for):
    t = today()
    by = people.district_staff
    worker = client_for(people.grid_worker)
    # Through the forms: two reports, one rectified, one double submit, one refused.
    key = str(uuid.uuid4())
    report(
        worker,
        district.meiyuan_grid,
        submission_key=key,
        found_on=(t - timedelta(6)).isoformat(),
        deadline=(t - timedelta(3)).isoformat(),
    )
    report(worker, district.meiyuan_grid, submission_key=key)
    report(
        worker,
        district.meiyuan_grid,
        found_on=(t - timedelta(2)).isoformat(),
        deadline=(t + timedelta(4)).isoformat(),
    )
    report(worker, district.meiyuan_grid, deadline=(t - timedelta(1)).isoformat())
    late = Hazard.objects.get(found_on=t - timedelta(6))
    rectify(worker, late, rectified_on=(t - timedelta(1)).isoformat())
    rectify(worker, late, rectified_on=t.isoformat())  # stale: refused
    # Directly, around a fixed deadline D, so every edge of the overdue stock is crossed.
    D = date(2025, 3, 10)
    make_hazard(district.meiyuan_grid2, by, found_on=D - timedelta(30), deadline=D)  # open
    make_hazard(district.yongxing, by, found_on=D - timedelta(9), deadline=D, rectified_on=D)
    make_hazard(
        district.meiyuan, by, found_on=D - timedelta(9), deadline=D, rectified_on=D + timedelta(1)
    )
    make_hazard(
        district.honggou_grid,
        by,
        found_on=D - timedelta(5),
        deadline=D,
        rectified_on=D + timedelta(20),
    )
    make_hazard(
        district.liuqiaoyu_grid,
        by,
        found_on=D,
        deadline=D + timedelta(3),
        rectified_on=D + timedelta(2),
    )
    moved = make_hazard(
        district.liuqiaoyu, by, found_on=D - timedelta(2), deadline=D + timedelta(1)
    )
    gone = make_hazard(district.honggou, by, found_on=D - timedelta(1), deadline=D - timedelta(1))
    # Edits and a delete that must take their old facts back.
    moved.deadline = D - timedelta(4)
    moved.unit = district.wenyuan
    moved.save()
    undone = Hazard.objects.get(pk=late.pk)
    undone.rectified_on = None
    undone.save()
    undone.rectified_on = t
    undone.save()
    gone.delete()

    assert Hazard.objects.count() == 8
    assert stored_facts() == recomputed_facts()
    periods = [
        Period(D - timedelta(31), D - timedelta(1)),
        Period(D - timedelta(10), D),
        Period(D, D),
        Period(D + timedelta(1), D + timedelta(1)),
        Period(D - timedelta(10), D + timedelta(2)),
        Period(D + timedelta(1), D + timedelta(19)),
        Period(D, D + timedelta(20)),
        Period(t - timedelta(7), t - timedelta(1)),
        Period(t - timedelta(3), t),
        Period(t.replace(month=1, day=1), t),
        Period(date(2020, 1, 1), t + timedelta(30)),
    ]
    units = [
        district.district,
        district.aishan,
        district.meiyuan,
        district.wenyuan,
        district.yanzhuang,
        district.meiyuan_grid,
    ]
    for period in periods:
        for unit in units:
            assert figures(unit, period) == counted(unit, period), (unit.name, period)


def test_the_overdue_figure_for_today_matches_the_overdue_list(district, people, client_for):
    t = today()
    by = people.district_staff
    make_hazard(district.meiyuan_grid, by, found_on=t - timedelta(9), deadline=t - timedelta(1))
    make_hazard(district.meiyuan, by, found_on=t - timedelta(9), deadline=t)
    make_hazard(district.honggou_grid, by, found_on=t - timedelta(9), deadline=t - timedelta(5))
    make_hazard(
        district.yongxing, by, found_on=t - timedelta(9), deadline=t - timedelta(5), rectified_on=t
    )
    values = evaluate(district.district, Period(t, t))
    listed = client_for(people.district_staff).get("/hazards/", {"state": "overdue"})
    assert values["hazards.overdue"] == listed.context["total"] == 2
    assert evaluate(district.aishan, Period(t, t))["hazards.overdue"] == 1


def test_an_overdue_hazard_counts_from_the_day_after_its_deadline_until_its_late_fix(
    district, people
):
    D = date(2024, 6, 10)
    make_hazard(
        district.meiyuan_grid,
        people.district_staff,
        found_on=D - timedelta(5),
        deadline=D,
        rectified_on=D + timedelta(3),
    )
    overdue_on = {
        day: evaluate(district.district, Period(day, day))["hazards.overdue"]
        for day in (D - timedelta(1), D, D + timedelta(1), D + timedelta(2), D + timedelta(3))
    }
    assert list(overdue_on.values()) == [0, 0, 1, 1, 0]


def test_the_place_of_a_hazard_is_shown_in_full_to_the_staff_who_handle_it(
    district, people, client_for
):
    """A broken lamp at 梅苑小区7号楼 is a place, not anyone's home address."""
    worker = client_for(people.grid_worker)
    report(worker, district.meiyuan_grid, place="梅苑小区7号楼东侧路灯")
    hazard = Hazard.objects.get()
    for client in (worker, client_for(people.aishan_official)):
        assert "梅苑小区7号楼东侧路灯" in client.get(hazard.get_absolute_url()).content.decode()
        assert "梅苑小区7号楼东侧路灯" in client.get("/hazards/").content.decode()
