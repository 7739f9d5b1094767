"""The intake form (phone-friendly), the mediation file and the case number."""

import uuid
from datetime import date, timedelta

import lxml.html
import pytest

from core.models import SubtreeTally, Tally
from core.models.scope import memberships_of
from disputes.models import CaseParty, DisputeCase, MediationSession
from disputes.services import case_intake
from tests.disputes.helpers import PARTY, category, log_case

pytestmark = pytest.mark.django_db


def intake(client, unit, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "unit": unit.pk,
        "source": "grid",
        "category": category().pk,
        "received_on": date.today().isoformat(),
        "description": "邻居噪音扰民",
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "10",
        "party-0-side": "applicant",
        "party-0-name": "李四",
        "party-0-phone": "13912345678",
        "party-0-id_number": "11010519491231002X",
        "party-0-address": "梅苑小区1号楼",
        "party-1-side": "respondent",
        "party-1-name": "",
    }
    data.update(overrides)
    return client.post("/cases/new/", data)


def errors_next_to(html: str, control_id: str) -> list[str]:
    """The error messages shown in the field's own box (partials/field.html) that its control
    points to with aria-describedby, as the eye and a screen reader find them."""
    page = lxml.html.fromstring(html)
    [control] = page.xpath("//*[@id=$id]", id=control_id)
    described = (control.get("aria-describedby") or "").split()
    box = control.getparent()
    return [
        error.text_content().strip()
        for error in box.xpath("./p[@class='field-error']")
        if error.get("id") in described
    ]


def test_a_grid_worker_logs_a_case_from_the_form(district, people, client_for):
    response = intake(client_for(people.grid_worker), district.meiyuan_grid)
    case = DisputeCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert case.parties.count() == 1 and case.created_by == people.grid_worker


def test_a_double_submit_logs_one_case(district, people, client_for):
    client = client_for(people.grid_worker)
    key = str(uuid.uuid4())
    first = intake(client, district.meiyuan_grid, submission_key=key)
    second = intake(client, district.meiyuan_grid, submission_key=key)
    assert DisputeCase.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("party-0-id_number", "110105194912310021", "身份证号码校验位不正确"),
        ("party-0-phone", "12ab", "请输入7至12位数字的电话号码"),
        ("received_on", (date.today() + timedelta(days=2)).isoformat(), "日期不能晚于今天"),
        ("description", "   ", "这个字段是必填项"),
        ("category", "999999", "选择一个有效的选项"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_saves_nothing(
    district, people, client_for, field, value, message
):
    response = intake(client_for(people.grid_worker), district.meiyuan_grid, **{field: value})
    assert response.status_code == 200
    html = response.content.decode()
    [error] = errors_next_to(html, f"id_{field}")
    assert message in error
    assert html.count('class="field-error"') == 1  # no other field is blamed
    assert not DisputeCase.objects.exists() and not CaseParty.objects.exists()


def test_a_case_needs_a_party(district, people, client_for):
    response = intake(client_for(people.grid_worker), district.meiyuan_grid, **{"party-0-name": ""})
    assert response.status_code == 200 and not DisputeCase.objects.exists()


def test_the_id_check_digit_message_is_chinese(district, people, client_for):
    response = intake(
        client_for(people.grid_worker),
        district.meiyuan_grid,
        **{"party-0-id_number": "110105194912310021"},
    )
    assert "身份证号码校验位不正确" in response.content.decode()


def test_a_unit_outside_scope_is_refused(district, people, client_for):
    response = intake(client_for(people.grid_worker), district.meiyuan_grid2)
    assert response.status_code == 200 and not DisputeCase.objects.exists()


def test_numbers_run_per_street_and_year(district, people):
    a1 = log_case(people.district_staff, district.meiyuan)
    a2 = log_case(people.district_staff, district.yongxing)
    w1 = log_case(people.district_staff, district.honggou)
    last_year = log_case(
        people.district_staff, district.meiyuan, received_on=date(date.today().year - 1, 6, 1)
    )
    year = date.today().year
    assert [a1.number, a2.number, w1.number] == [
        f"370117001-{year}-00001",
        f"370117001-{year}-00002",
        f"370117003-{year}-00001",
    ]
    assert last_year.number == f"370117001-{year - 1}-00001"


def test_a_session_agreement_and_return_visit_make_the_file(district, people, client_for):
    case = log_case(
        people.aishan_official, district.meiyuan, received_on=date.today() - timedelta(days=5)
    )
    client = client_for(people.aishan_official)
    today = date.today().isoformat()
    assert (
        client.post(
            f"/cases/{case.number}/sessions/",
            {"held_on": today, "mediators": "王调解员", "record": "听取陈述"},
        ).status_code
        == 302
    )
    response = client.post(
        f"/cases/{case.number}/agreement/",
        {
            "version": 1,
            "signed_on": today,
            "facts": "漏水",
            "terms": "赔偿500元",
            "performance_method": "现金",
            "perform_by": (date.today() + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert (
        client.post(
            f"/cases/{case.number}/visits/", {"visited_on": today, "performed": "yes"}
        ).status_code
        == 302
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "听取陈述" in html and "赔偿500元" in html and "王调解员" in html


def test_two_handlers_recording_the_agreement_at_once_do_not_overwrite(
    district, people, client_for
):
    """Both opened the case before it had an agreement: the second is told, not saved."""
    case = log_case(
        people.aishan_official, district.meiyuan, received_on=date.today() - timedelta(days=5)
    )
    client = client_for(people.aishan_official)
    blank = client.get(case.get_absolute_url()).context["agreement_form"]["version"].value()
    agreement = {
        "version": blank,
        "signed_on": date.today().isoformat(),
        "facts": "漏水",
        "performance_method": "现金",
        "perform_by": (date.today() + timedelta(days=10)).isoformat(),
    }
    url = f"/cases/{case.number}/agreement/"
    assert client.post(url, {**agreement, "terms": "赔偿500元"}).status_code == 302
    stale = client.post(url, {**agreement, "terms": "赔偿800元"})
    assert stale.status_code == 409 and "赔偿500元" in stale.content.decode()
    from disputes.models import MediationAgreement

    assert MediationAgreement.objects.get(case=case).terms == "赔偿500元"


def test_file_entries_before_receipt_or_in_the_future_are_refused(district, people, client_for):
    case = log_case(
        people.aishan_official, district.meiyuan, received_on=date.today() - timedelta(days=2)
    )
    client = client_for(people.aishan_official)
    early = (date.today() - timedelta(days=3)).isoformat()
    late = (date.today() + timedelta(days=1)).isoformat()
    for held_on in (early, late):
        response = client.post(
            f"/cases/{case.number}/sessions/", {"held_on": held_on, "mediators": "x", "record": "y"}
        )
        assert response.status_code == 200 and "held_on" in response.context["session_form"].errors
    assert not MediationSession.objects.exists()


def test_an_agreement_photo_that_is_not_an_image_is_refused(district, people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = log_case(people.aishan_official, district.meiyuan)
    response = client_for(people.aishan_official).post(
        f"/cases/{case.number}/agreement/",
        {
            "version": 1,
            "signed_on": date.today().isoformat(),
            "facts": "f",
            "terms": "t",
            "performance_method": "m",
            "perform_by": date.today().isoformat(),
            "photo": SimpleUploadedFile("agreement.jpg", b"<html>not a photo</html>", "image/jpeg"),
        },
    )
    assert response.status_code == 200
    [error] = errors_next_to(response.content.decode(), "agreement_photo")
    assert "不是平台可识别的照片" in error
    assert not hasattr(DisputeCase.objects.get(pk=case.pk), "agreement")
    from disputes.models import MediationAgreement

    assert not MediationAgreement.objects.exists()


def test_the_agreement_photo_is_served_only_in_scope(district, people, client_for):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    case = log_case(people.aishan_official, district.meiyuan)
    client = client_for(people.aishan_official)
    client.post(
        f"/cases/{case.number}/agreement/",
        {
            "version": 1,
            "signed_on": date.today().isoformat(),
            "facts": "f",
            "terms": "t",
            "performance_method": "m",
            "perform_by": date.today().isoformat(),
            "photo": SimpleUploadedFile("a.png", buffer.getvalue(), "image/png"),
        },
    )
    photo = client.get(f"/cases/{case.number}/agreement/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert (
        client_for(people.wenyuan_official)
        .get(f"/cases/{case.number}/agreement/photo/")
        .status_code
        == 404
    )


def test_an_organisation_party_is_shown_by_name_and_a_person_stays_masked(
    district, people, client_for
):
    worker = client_for(people.grid_worker)
    intake(
        worker,
        district.meiyuan_grid,
        **{
            "party-1-side": "respondent",
            "party-1-kind": "organisation",
            "party-1-name": "老王烧烤",
            "party-1-phone": "13812345678",
            "party-1-address": "钢城区府前大街18号",
        },
    )
    case = DisputeCase.objects.get()
    company = case.parties.get(side="respondent")
    assert company.kind == CaseParty.Kind.ORGANISATION
    assert case.parties.get(side="applicant").kind == CaseParty.Kind.PERSON
    page = worker.get(case.get_absolute_url()).content.decode()
    assert '老王烧烤 <span class="badge">单位</span>' in page and "钢城区府前大街18号" in page
    assert "138****5678" in page and "13812345678" not in page
    assert "李*" in page and "李四" not in page and "梅苑小区1号楼" not in page
    listed = worker.get("/cases/").content.decode()
    assert "老王烧烤" in listed and "李四" not in listed


def test_intake_writes_the_case_its_parties_event_history_and_tallies_in_one_statement(
    district, people, django_assert_num_queries
):
    official = people.aishan_official
    memberships_of(official)  # what the authentication middleware has read for the request
    respondent = {"side": "respondent", "name": "王五", "kind": "organisation"}
    neighbours = category()
    with django_assert_num_queries(1):
        case = case_intake(
            by=official,
            unit=district.meiyuan_grid,
            source="grid",
            category=neighbours,
            received_on=date.today(),
            description="楼上漏水",
            parties=[PARTY, respondent],
        )
    stored = DisputeCase.objects.get(pk=case.pk)
    assert (stored.number, stored.street_id) == (case.number, district.aishan.pk)
    assert case.number == f"370117001-{date.today().year}-00001"
    assert [(p.side, p.name, p.kind) for p in stored.parties.all()] == [
        ("applicant", "张三", "person"),
        ("respondent", "王五", "organisation"),
    ]
    assert list(stored.events_log.values_list("kind", "to_level", "by")) == [
        ("received", "grid", official.pk)
    ]
    for model, rows in ((DisputeCase, 1), (CaseParty, 2)):
        assert (
            model.pgh_event_model.objects.filter(
                pgh_context__metadata__reason="case_intake",
                pgh_context__metadata__user=official.pk,
            ).count()
            == rows
        )
    counted = SubtreeTally.objects.filter(metric="disputes.received", day=date.today())
    assert dict(counted.values_list("unit", "value")) == {
        unit.pk: 1
        for unit in (district.district, district.aishan, district.meiyuan, district.meiyuan_grid)
    }
    assert Tally.objects.get(metric="disputes.received").unit_id == district.meiyuan_grid.pk
