"""Every URL, htmx fragment, export and form that one user reaches for their own unit's records
is a 403 or 404 for the same role held over another unit at the same level. The URLs come from
crawling the portal over the demo district, so parts added later are covered without new code."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.models import AdministrativeUnit, Membership, User
from tests.crawl import crawl, route_of

pytestmark = pytest.mark.django_db

# (demo account, the unit of the same level its counterpart holds the same role at)
COUNTERPARTS = [
    ("aishan", "汶源街道"),
    ("wenyuan", "艾山街道"),
    ("meiyuan", None),
    ("meiyuan_grid", None),
    ("liuqiaoyu_clerk", None),
    ("liuqiaoyu_supervisor", None),
    ("hongou_volunteers", None),
]


def _other_unit(unit: AdministrativeUnit, name: str | None) -> AdministrativeUnit:
    if name:
        return AdministrativeUnit.objects.get(name=name)
    street = unit.path.strip("/").split("/")[1]
    return (
        AdministrativeUnit.objects.filter(level=unit.level)
        .exclude(path__startswith=f"/{unit.path.strip('/').split('/')[0]}/{street}/")
        .order_by("code")
        .first()
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _scoped(path: str) -> bool:
    match = route_of(path)
    return bool(match and match.kwargs and getattr(match.func, "login_required", True))


@pytest.mark.parametrize("username, other_name", COUNTERPARTS)
def test_another_units_holder_of_the_same_role_reaches_nothing(demo_district, username, other_name):
    insider = User.objects.get(username=username)
    membership = Membership.objects.select_related("unit").get(user=insider)
    elsewhere = _other_unit(membership.unit, other_name)
    outsider = User.objects.create_user(f"other_{username}", password="x")  # noqa: S106
    Membership.objects.create(user=outsider, unit=elsewhere, role=membership.role)

    mine = crawl(_client(insider), ["/home/", "/dashboard/"], per_route=2)
    reached = {urlsplit(url).path for url, page in mine.pages.items() if page.status == 200}
    probes = sorted(path for path in reached if _scoped(path))
    assert probes, f"the crawl as {username} reached no record of its own unit"

    outsider_client = _client(outsider)
    leaks = []
    for path in probes:
        for headers in ({}, {"HX-Request": "true"}):
            status = outsider_client.get(path, headers=headers).status_code
            if status not in (403, 404):
                leaks.append(("GET", path, headers, status))
    for path in sorted(mine.post_forms):
        if _scoped(path):
            status = outsider_client.post(path, {}).status_code
            if status not in (403, 404):
                leaks.append(("POST", path, {}, status))
    assert not leaks, f"{elsewhere.name}'s {membership.role} reached {username}'s records: {leaks}"
