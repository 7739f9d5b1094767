"""Supervision: an observer files a finding with a photo, assigned with a deadline; the clerk
responds; the committee signs off; overdue findings are flagged; the public sees rectified ones."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Finding, SupervisionMember
from tests.core.test_uploads import jpeg_with_gps, upload
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def observer(district):
    return person("observer1", district.liuqiaoyu, "observer")


def file_finding(client, district, **extra):
    form = client.get(reverse("governance:finding_create"))
    today = timezone.localdate()
    data = {
        "submission_key": form.context["form"].initial["submission_key"],
        "unit": district.liuqiaoyu.pk,
        "title": "健身器材损坏",
        "description": "文化广场两台健身器材断裂。",
        "found_on": (today - timedelta(days=20)).isoformat(),
        "assignee": "王五",
        "deadline": (today - timedelta(days=5)).isoformat(),
        "photo": upload(jpeg_with_gps()),
        **extra,
    }
    return client.post(reverse("governance:finding_create"), data)


def test_a_finding_goes_from_observer_to_response_to_sign_off(
    district, people, observer, client_for, client
):
    member = SupervisionMember.objects.create(
        unit=district.liuqiaoyu, name="赵六", kind="observer", since=date(2026, 1, 1)
    )
    watcher = client_for(observer)
    response = file_finding(watcher, district, found_by=member.pk)
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.photo and finding.is_overdue and finding.state == "open"
    # The observer cannot respond or sign off.
    assert (
        watcher.post(reverse("governance:finding_sign_off", args=[finding.pk])).status_code == 404
    )

    clerk = client_for(people.village_clerk)
    clerk.post(
        reverse("governance:finding_respond", args=[finding.pk]),
        {
            "version": finding.version,
            "response": "已更换新器材。",
            "responded_on": timezone.localdate().isoformat(),
        },
    )
    finding.refresh_from_db()
    assert finding.state == "responded" and finding.is_overdue

    committee = client_for(people.supervisor)
    committee.post(
        reverse("governance:finding_sign_off", args=[finding.pk]), {"version": finding.version}
    )
    finding.refresh_from_db()
    assert finding.state == "rectified" and not finding.is_overdue
    assert finding.signed_off_by == people.supervisor

    page = client.get(reverse("public:village", args=[district.liuqiaoyu.code])).content.decode()
    assert "健身器材损坏" in page and "王五" not in page and "赵六" not in page


def test_sign_off_needs_a_response_first(district, people, observer, client_for):
    file_finding(client_for(observer), district)
    finding = Finding.objects.get()
    page = client_for(people.supervisor).get(finding.get_absolute_url())
    assert page.context["sign_form"] is None
    from disclosure.services.supervision import finding_sign_off

    with pytest.raises(ValidationError):
        finding_sign_off(finding=finding, by=people.supervisor, version=finding.version)
    finding.refresh_from_db()
    assert finding.signed_off_on is None


def test_bad_input_is_refused_next_to_the_field(district, observer, client_for):
    response = file_finding(
        client_for(observer),
        district,
        deadline="2000-01-01",
        photo=upload(b"not an image at all", "x.jpg"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "deadline" in errors and "photo" in errors
    assert Finding.objects.count() == 0


def test_overdue_findings_are_flagged_in_the_list(district, people, observer, client_for):
    file_finding(client_for(observer), district)
    page = client_for(people.supervisor).get(
        reverse("governance:supervision_home"), {"state": "overdue"}
    )
    assert [f.title for f in page.context["findings"]] == ["健身器材损坏"]
    assert "王五" not in page.content.decode()


def test_members_are_shown_with_masked_names(district, people, client_for):
    committee = client_for(people.supervisor)
    committee.post(
        reverse("governance:member_create"),
        {"unit": district.liuqiaoyu.pk, "name": "孙七", "kind": "observer", "since": "2026-01-01"},
    )
    page = committee.get(reverse("governance:supervision_home")).content.decode()
    assert "孙*" in page and "孙七" not in page


def test_the_found_by_picker_names_whom_the_observer_picks_and_logs_the_reveal(
    district, observer, client_for, caplog
):
    for name in ("赵六", "赵六一"):
        SupervisionMember.objects.create(
            unit=district.liuqiaoyu, name=name, kind="observer", since=date(2026, 1, 1)
        )
    audit = logging.getLogger("portal.audit")
    audit.addHandler(caplog.handler)
    try:
        page = client_for(observer).get(reverse("governance:finding_create")).content.decode()
    finally:
        audit.removeHandler(caplog.handler)
    assert "赵六 · " in page and "赵六一 · " in page and "赵* · " not in page
    reveals = [r.getMessage() for r in caplog.records if "found_by_picker" in r.getMessage()]
    assert len(reveals) == 2 and f"by user={observer.pk}" in reveals[0]
    assert not any("赵" in message for message in reveals)


def test_a_finding_assigned_to_the_village_committee_names_it(
    district, people, observer, client_for
):
    watcher = client_for(observer)
    file_finding(watcher, district, assignee="柳桥峪村村委会")
    file_finding(watcher, district, assignee="王五", title="路灯不亮")
    committee = Finding.objects.get(assignee="柳桥峪村村委会")
    cadre = Finding.objects.get(assignee="王五")
    assert "柳桥峪村村委会" in watcher.get(committee.get_absolute_url()).content.decode()
    html = watcher.get(cadre.get_absolute_url()).content.decode()
    assert "王*" in html and "王五" not in html
