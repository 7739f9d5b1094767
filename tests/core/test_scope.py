"""Scope: a grant covers its unit's subtree; anything outside is a 404 on every path."""

import pytest

from core.models import AdministrativeUnit, Membership, User, may
from core.models.scope import memberships_of
from core.roles import Action
from disputes.roles import Action as CaseAction

pytestmark = pytest.mark.django_db


ACTIONS = [Action.VIEW, Action.MANAGE_UNITS, CaseAction.LOG_CASES]


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_a_street_grant_covers_its_communities_and_grids(district, people):
    visible = codes(AdministrativeUnit.objects.for_user(people.aishan_official))
    assert visible == {
        district.aishan.code,
        district.meiyuan.code,
        district.meiyuan_grid.code,
        district.meiyuan_grid2.code,
        district.yongxing.code,
    }


def test_a_grid_worker_sees_only_their_grid(district, people):
    assert codes(AdministrativeUnit.objects.for_user(people.grid_worker)) == {
        district.meiyuan_grid.code
    }


def test_the_district_sees_everything(district, people):
    assert AdministrativeUnit.objects.for_user(people.district_staff).count() == 12


def test_an_outsider_and_anonymous_see_nothing(district, people):
    from django.contrib.auth.models import AnonymousUser

    assert not AdministrativeUnit.objects.for_user(people.outsider).exists()
    assert not AdministrativeUnit.objects.for_user(AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(district, people):
    people.aishan_official.is_active = False
    assert not AdministrativeUnit.objects.for_user(people.aishan_official).exists()


def test_an_action_needs_a_role_that_allows_it(district, people):
    assert not AdministrativeUnit.objects.for_user(
        people.aishan_official, Action.MANAGE_UNITS
    ).exists()
    assert (
        AdministrativeUnit.objects.for_user(people.district_staff, Action.MANAGE_UNITS).count()
        == 12
    )


def test_a_retired_unit_grants_nothing(district, people):
    district.meiyuan_grid.retired_on = district.meiyuan_grid.created_on
    district.meiyuan_grid.save()
    grid_worker = User.objects.get(pk=people.grid_worker.pk)
    assert not AdministrativeUnit.objects.for_user(grid_worker).exists()


def test_two_memberships_add_up(district, people):
    Membership.objects.create(
        user=people.meiyuan_worker, unit=district.honggou, role="community_worker"
    )
    user = User.objects.get(pk=people.meiyuan_worker.pk)
    visible = codes(AdministrativeUnit.objects.for_user(user))
    assert district.honggou_grid.code in visible and district.meiyuan_grid.code in visible
    assert district.yongxing.code not in visible


@pytest.mark.parametrize(
    "path",
    [
        "/units/{code}/",
        "/units/{code}/children/",
        "/units/{code}/edit/",
        "/units/{code}/move/",
        "/units/{code}/retire/",
        "/units/{code}/add/",
    ],
)
def test_another_streets_pages_fragments_and_forms_are_404(
    district, people, client_for, htmx_headers, path
):
    client = client_for(people.aishan_official)
    url = path.format(code=district.wenyuan.code)
    assert client.get(url).status_code == 404
    assert client.get(url, headers=htmx_headers).status_code == 404
    assert client.post(url, {"name": "x", "version": 1}).status_code == 404
    assert AdministrativeUnit.objects.get(pk=district.wenyuan.pk).name == "汶源街道"


def test_a_street_official_reads_their_own_communitys_page(district, people, client_for):
    response = client_for(people.aishan_official).get(f"/units/{district.meiyuan.code}/")
    assert response.status_code == 200
    assert "梅苑社区第一网格" in response.content.decode()


def test_the_street_may_view_but_not_edit_its_own_unit(district, people, client_for):
    client = client_for(people.aishan_official)
    assert client.get(f"/units/{district.aishan.code}/edit/").status_code == 404


def test_anonymous_requests_go_to_the_login_page(district, client):
    response = client.get(f"/units/{district.aishan.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_streets_account_is_404(district, people, client_for):
    client = client_for(people.aishan_official)
    assert client.get(f"/accounts/manage/{people.wenyuan_official.pk}/").status_code == 404
    assert client.get(f"/accounts/manage/{people.meiyuan_worker.pk}/").status_code == 200


def test_the_admin_is_for_superusers_only(district, people, client_for):
    people.district_staff.is_staff = True
    people.district_staff.save()
    response = client_for(people.district_staff).get("/admin/")
    assert response.status_code == 302
    admin = User.objects.create_superuser(username="root", password="x-Long-Password-1")
    assert client_for(admin).get("/admin/").status_code == 200


def test_a_unit_read_with_its_path_is_judged_without_a_query_as_the_database_judges_it(
    district, people, django_assert_num_queries
):
    units = [district.district, district.aishan, district.meiyuan_grid, district.honggou]
    everyone = [people.district_staff, people.aishan_official, people.grid_worker, people.outsider]
    for user in everyone:
        memberships_of(user)  # what the authentication middleware has read for the request
    with django_assert_num_queries(0):
        judged = {(u.pk, w.pk, a): may(u, a, w) for u in everyone for w in units for a in ACTIONS}
    assert judged == {
        (u.pk, w.pk, a): AdministrativeUnit.objects.allows(u, a, w.pk)
        for u in everyone
        for w in units
        for a in ACTIONS
    }
    assert judged[(people.aishan_official.pk, district.meiyuan_grid.pk, Action.VIEW)]
    assert not judged[(people.aishan_official.pk, district.honggou.pk, Action.VIEW)]
