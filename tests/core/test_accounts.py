"""Managing accounts: district staff manage their subtree, street staff theirs; roles fit levels."""

import uuid

import pytest

from core.models import Membership, User

pytestmark = pytest.mark.django_db


def new_account(client, unit, role="community_worker", username="new_worker", key=None):
    return client.post(
        "/accounts/manage/new/",
        {
            "submission_key": key or str(uuid.uuid4()),
            "username": username,
            "full_name": "新社工",
            "phone": "13812345678",
            "password": "Strong-passw0rd-2026",
            "unit": unit.pk,
            "role": role,
        },
    )


def test_a_street_official_creates_an_account_in_their_street(district, people, client_for):
    response = new_account(client_for(people.aishan_official), district.meiyuan)
    assert response.status_code == 302
    user = User.objects.get(username="new_worker")
    assert user.check_password("Strong-passw0rd-2026")
    assert list(user.memberships.values_list("unit__code", "role")) == [
        (district.meiyuan.code, "community_worker")
    ]


def test_a_double_submit_creates_one_account(district, people, client_for):
    client = client_for(people.aishan_official)
    key = str(uuid.uuid4())
    new_account(client, district.meiyuan, key=key)
    second = new_account(client, district.meiyuan, key=key)
    assert second.status_code == 302
    assert User.objects.filter(username="new_worker").count() == 1


def test_a_street_official_cannot_create_accounts_in_another_street(district, people, client_for):
    response = new_account(client_for(people.aishan_official), district.honggou)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="new_worker").exists()


def test_a_role_must_fit_the_units_level(district, people, client_for):
    response = new_account(client_for(people.district_staff), district.meiyuan, role="grid_worker")
    assert response.status_code == 200
    assert "不能设在社区这一层级" in " ".join(response.context["form"].errors["role"])


def test_a_weak_password_is_refused_next_to_the_field(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(
        "/accounts/manage/new/",
        {
            "submission_key": str(uuid.uuid4()),
            "username": "weak",
            "full_name": "弱",
            "password": "123",
            "unit": district.meiyuan.pk,
            "role": "community_worker",
        },
    )
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_a_bad_phone_is_refused_in_chinese(district, people, client_for):
    client = client_for(people.aishan_official)
    response = client.post(
        f"/accounts/manage/{people.meiyuan_worker.pk}/",
        {"form": "edit", "version": 1, "full_name": "x", "phone": "12345", "is_active": "on"},
    )
    assert "请输入以1开头的11位手机号码" in response.content.decode()


def test_the_account_list_masks_phones(district, people, client_for):
    User.objects.filter(pk=people.meiyuan_worker.pk).update(phone="13812345678")
    html = client_for(people.aishan_official).get("/accounts/manage/").content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "meiyuan" in html and "wenyuan" not in html


def test_account_pages_hold_names_and_phones_masked_and_a_blank_keeps_them(
    district, people, client_for
):
    User.objects.filter(pk=people.meiyuan_worker.pk).update(
        full_name="欧阳晓明", phone="13812345678"
    )
    client = client_for(people.aishan_official)
    url = f"/accounts/manage/{people.meiyuan_worker.pk}/"
    for page in (client.get("/accounts/manage/"), client.get(url)):
        html = page.content.decode()
        assert "欧*" in html and "欧阳晓明" not in html and "13812345678" not in html
    client.post(url, {"form": "edit", "version": 1, "full_name": "", "phone": "", "is_active": ""})
    kept = User.objects.get(pk=people.meiyuan_worker.pk)
    assert (kept.full_name, kept.phone, kept.is_active) == ("欧阳晓明", "13812345678", False)
    client.post(url, {"form": "edit", "version": 2, "full_name": "欧阳晓", "is_active": "on"})
    assert User.objects.get(pk=people.meiyuan_worker.pk).full_name == "欧阳晓"
    assert "欧阳晓" not in client.get(url).content.decode()  # nor in the history


def test_a_stale_account_edit_conflicts(district, people, client_for):
    client = client_for(people.aishan_official)
    url = f"/accounts/manage/{people.meiyuan_worker.pk}/"
    base = {"form": "edit", "version": 1, "phone": "", "is_active": "on"}
    client.post(url, {**base, "full_name": "甲"})
    response = client.post(url, {**base, "full_name": "乙"})
    assert response.status_code == 409
    assert "已有其他人保存了该账号" in response.content.decode()
    assert User.objects.get(pk=people.meiyuan_worker.pk).full_name == "甲"


def test_granting_and_revoking_a_role(district, people, client_for):
    client = client_for(people.aishan_official)
    url = f"/accounts/manage/{people.meiyuan_worker.pk}/"
    client.post(url, {"form": "grant", "unit": district.yongxing.pk, "role": "community_worker"})
    granted = Membership.objects.get(user=people.meiyuan_worker, unit=district.yongxing)
    client.post(f"/memberships/{granted.pk}/revoke/")
    assert not Membership.objects.filter(pk=granted.pk).exists()
    assert "永兴社区" in client.get(url).content.decode()  # the history keeps it


def test_a_membership_outside_scope_cannot_be_revoked(district, people, client_for):
    other = Membership.objects.get(user=people.wenyuan_official)
    assert (
        client_for(people.aishan_official).post(f"/memberships/{other.pk}/revoke/").status_code
        == 404
    )
    assert Membership.objects.filter(pk=other.pk).exists()


def test_no_one_revokes_their_own_role(district, people, client_for):
    own = Membership.objects.get(user=people.aishan_official)
    client_for(people.aishan_official).post(f"/memberships/{own.pk}/revoke/")
    assert Membership.objects.filter(pk=own.pk).exists()


def test_roles_without_account_management_have_no_account_pages(district, people, client_for):
    client = client_for(people.meiyuan_worker)
    assert client.get("/accounts/manage/").status_code == 404
    assert client.get("/accounts/manage/new/").status_code == 404


def test_a_manager_grants_only_roles_whose_every_action_they_hold(district, people, client_for):
    """A street official could create a competition judge; judging is not theirs to hand out."""
    client = client_for(people.aishan_official)
    offered = dict(client.get("/accounts/manage/new/").context["form"].fields["role"].choices)
    assert "community_worker" in offered and "volunteer_leader" in offered
    assert "competition_judge" not in offered and "points_staff" not in offered
    response = new_account(client, district.aishan, role="competition_judge")
    assert response.status_code == 200
    assert "请选择您可以授予的角色" in " ".join(response.context["form"].errors["role"])
    assert not User.objects.filter(username="new_worker").exists()
    url = f"/accounts/manage/{people.meiyuan_worker.pk}/"
    refused = client.post(
        url, {"form": "grant", "unit": district.yongxing.pk, "role": "points_staff"}
    )
    assert "role" in refused.context["grant_form"].errors
    assert list(people.meiyuan_worker.memberships.values_list("role", flat=True)) == [
        "community_worker"
    ]
    # The district holds judging, so it may make judges.
    made = new_account(client_for(people.district_staff), district.aishan, role="competition_judge")
    assert made.status_code == 302


def test_a_role_is_granted_only_where_the_manager_holds_its_actions(district, people, client_for):
    """A street official who also staffs 永兴社区's counter may make counter staff there, not at
    梅苑社区: the actions count at the unit, not anywhere."""
    Membership.objects.create(
        user=people.aishan_official, unit=district.yongxing, role="points_staff"
    )
    client = client_for(people.aishan_official)
    refused = new_account(client, district.meiyuan, role="points_staff")
    assert refused.status_code == 200
    message = " ".join(refused.context["form"].errors["role"])
    assert "梅苑社区" in message and "积分超市工作人员" in message
    assert not User.objects.filter(username="new_worker").exists()
    assert new_account(client, district.yongxing, role="points_staff").status_code == 302


def test_the_service_refuses_a_role_beyond_the_managers_own(district, people):
    from django.core.exceptions import ValidationError

    from core.services.accounts import account_create, membership_grant

    with pytest.raises(ValidationError):
        account_create(
            by=people.aishan_official,
            username="judge2",
            full_name="评委",
            phone="",
            password="Strong-passw0rd-2026",
            unit=district.aishan,
            role="competition_judge",
        )
    with pytest.raises(ValidationError):
        membership_grant(
            by=people.aishan_official,
            account=people.meiyuan_worker,
            unit=district.aishan,
            role="competition_judge",
        )
    assert not User.objects.filter(username="judge2").exists()
    assert not Membership.objects.filter(role="competition_judge").exists()


def test_the_district_and_streets_appoint_village_roles_they_do_not_hold(
    district, people, client_for
):
    """Drafting and reviewing disclosures is the village's work, but the district and the street
    that oversee it appoint its clerks and supervisors; a street still cannot make a judge."""
    appointments = (
        (people.district_staff, district.liuqiaoyu, "clerk_a"),
        (people.aishan_official, district.meiyuan, "clerk_b"),
    )
    for manager, unit, username in appointments:
        client = client_for(manager)
        offered = dict(client.get("/accounts/manage/new/").context["form"].fields["role"].choices)
        assert {"village_clerk", "supervisor", "observer"} <= set(offered)
        made = new_account(client, unit, role="village_clerk", username=username)
        assert made.status_code == 302, made.context and made.context["form"].errors
    assert User.objects.filter(username__in=["clerk_a", "clerk_b"]).count() == 2
