"""No import reaches outside the importer's scope: as each scoped role that may import, files
naming a sibling unit's records (its volunteers' ID numbers, its 12345 tickets, its unit codes)
are imported through the portal's own pages, and every record of the sibling's subtree is
compared before and after, field by field. The roles come from the role table and the import
pages from the URL configuration, so a role or an import added later is held to this too."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from consultation.models import Demand, DemandSource, new_tracking_code
from consultation.roles import Action as ConsultationAction
from core.demo.district import DEMO_ACCOUNTS
from core.models import AdministrativeUnit, Membership, User
from core.models.scope import ScopedQuerySet
from core.models.units import code_error
from core.roles import ROLES, Action
from tests.tasks import run_queued_tasks
from tests.volunteers.conftest import id_number
from volunteers.models import ImportJob, Volunteer
from volunteers.roles import Action as VolunteersAction

pytestmark = pytest.mark.django_db

# What each kind of import needs the importer to be allowed, and its page.
IMPORTS = {
    "volunteer roll": (VolunteersAction.MANAGE_VOLUNTEERS, "/volunteers/import/"),
    "12345 tickets": (ConsultationAction.RUN_CONSULTATION, "/demands/import/"),
    "units": (Action.MANAGE_UNITS, "/units/import/"),
}
IMPORTING_ROLES = sorted(
    key
    for key, role in ROLES.items()
    if any(action in role.actions for action, _page in IMPORTS.values())
)
SHOWN = 5  # sibling records named in each file


def _routes(patterns, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_import_page_of_the_portal_is_held_to_this():
    pages = {
        "/" + route.lstrip("^")
        for route in _routes(get_resolver().url_patterns)
        if route.rstrip("/").endswith("import") and "<" not in route
    }
    assert pages == {page for _action, page in IMPORTS.values()}


def _subtree(root: AdministrativeUnit) -> dict[str, list[dict]]:
    """Every record hanging off a unit of the subtree, history and tallies included."""
    records = {}
    for model in apps.get_models():
        if Path(model._meta.app_config.path).parent != Path(settings.BASE_DIR):
            continue  # only the portal's own apps
        manager = model._default_manager
        if model is AdministrativeUnit:
            lookup = "path"
        elif isinstance(manager.all(), ScopedQuerySet) and model is not User:
            lookup = f"{manager.all().scope_path}"
        elif any(f.name == "unit" and isinstance(f, models.ForeignKey) for f in model._meta.fields):
            lookup = "unit__path"
        else:
            continue
        rows = manager.filter(**{f"{lookup}__startswith": root.path}).values()
        key = model._meta.pk.attname
        records[model._meta.label] = {row[key]: row for row in rows}
    return records


def _differences(before: dict, after: dict) -> list[str]:
    found = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        for pk in sorted(set(old) | set(new), key=str):
            if old.get(pk) != new.get(pk):
                changed = {
                    field: (old.get(pk, {}).get(field), new.get(pk, {}).get(field))
                    for field in set(old.get(pk, {})) | set(new.get(pk, {}))
                    if old.get(pk, {}).get(field) != new.get(pk, {}).get(field)
                }
                found.append(f"{label} {pk}: {changed}")
    return found


def _importer(role: str) -> tuple[User, AdministrativeUnit]:
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    user = User.objects.get(username=account.username)
    return user, Membership.objects.select_related("unit").get(user=user, role=role).unit


def _sibling(unit: AdministrativeUnit) -> AdministrativeUnit:
    """A unit of the same level under the same parent; for the district, a neighbouring one."""
    if unit.parent_id is None:
        from tests.factories import unit as make

        district = make("370116000000", "莱芜区", "district")
        street = make("370116001000", "凤城街道", "street", district)
        make("370116001001", "府前社区", "community", street)
        return district
    return (
        AdministrativeUnit.objects.filter(parent_id=unit.parent_id, level=unit.level)
        .exclude(pk=unit.pk)
        .order_by("code")
        .first()
    )


def _seeded(sibling: AdministrativeUnit) -> None:
    """The sibling holds volunteers and 12345 tickets to name (the demo's, or a few more)."""
    below = AdministrativeUnit.objects.filter(path__startswith=sibling.path, level="community")
    home = below.order_by("code").first() or sibling
    clerk = User.objects.create_user(f"clerk_{sibling.code}", password="x")  # noqa: S106
    for n in range(2):
        Volunteer(
            unit=home, name="本地人", phone="13700000000", id_number=id_number(777_000 + n)
        ).save()
        Demand(
            tracking_code=new_tracking_code(),
            unit=home,
            source=DemandSource.HOTLINE,
            ticket_number=f"12345-{sibling.code}-{n}",
            received_on=timezone.localdate() - timedelta(days=3),
            description="楼道灯不亮",
            created_by=clerk,
        ).save()


def _csv(rows: list[list], name: str) -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8-sig"), "text/csv")


def _import_roll(client, own, sibling, names) -> list[str]:
    theirs = list(
        Volunteer.objects.filter(unit__path__startswith=sibling.path).order_by("pk")[:SHOWN]
    )
    rows = [["姓名", "证件号码", "手机号码", "所属单位代码"]]
    rows += [["冒名", v.id_number, "13900000000", ""] for v in theirs]
    rows += [["冒名", theirs[0].id_number, "13900000000", sibling.code]]
    rows += [["外人", id_number(888_001), "13900000001", sibling.code]]
    rows += [["本单位新人", id_number(888_002), "13900000002", ""]]
    answer = client.post(
        IMPORTS["volunteer roll"][1], {"unit": own.pk, "file": _csv(rows, "roll.csv")}
    )
    run_queued_tasks()
    problems = []
    job = ImportJob.objects.filter(unit=own).order_by("-pk").first()
    if answer.status_code != 302 or job is None:
        return [f"the roll was not taken ({answer.status_code})"]
    if (job.created, job.updated, job.bad) != (1, 0, len(rows) - 2):
        problems.append(f"roll: created/updated/bad {(job.created, job.updated, job.bad)}")
    page = client.get(answer["Location"]).content.decode()
    problems += [f"roll report names {name}" for name in names if name in page]
    return problems


def _queued(client, url, data) -> tuple[int, str]:
    """Post an import page (without JavaScript), let a worker run the queue, read the report."""
    answer = client.post(url, data)
    if answer.status_code != 302:
        return answer.status_code, answer.content.decode()
    run_queued_tasks()
    report = client.get(answer["Location"])
    return report.status_code, report.content.decode()


def _import_tickets(client, own, sibling, names) -> list[str]:
    """Files of one kind of row each: the import is all or nothing, so a row refused for another
    reason would hide a row that gets through."""
    theirs = list(
        Demand.objects.filter(unit__path__startswith=sibling.path)
        .exclude(ticket_number=None)
        .order_by("pk")[:SHOWN]
    )
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    files = {
        "their tickets filed under us": [[d.ticket_number, day, own.code, "改派"] for d in theirs],
        "their ticket rewritten": [[theirs[0].ticket_number, day, sibling.code, "改写"]],
        "a new ticket of theirs": [["12345-NEW-0001", day, sibling.code, "替别人新建"]],
    }
    problems = []
    for label, rows in files.items():
        upload = _csv([["工单编号", "受理日期", "单位代码", "诉求内容"], *rows], "tickets.csv")
        status, page = _queued(client, IMPORTS["12345 tickets"][1], {"file": upload})
        problems += [f"tickets, {label}: the report names {n}" for n in names if n in page]
        if status != 200 or 'role="alert"' not in page or "导入工单" in page:
            problems.append(f"tickets, {label}: the file was taken ({status})")
    return problems


def _free_code(parent: AdministrativeUnit, level: str) -> str:
    """A code a new unit of the level could take under the parent: only scope stands in its way."""
    for n in range(999, 0, -1):
        if level == "street":
            code = f"{parent.code[:6]}{n:03d}000"
        elif level == "grid":
            code = f"{parent.code}{n:03d}"
        else:
            code = f"{parent.code[:9]}{n:03d}"
        if code_error(code, level, parent) is None and not (
            AdministrativeUnit.objects.filter(code=code).exists()
        ):
            return code
    raise AssertionError(f"no free code under {parent.code}")


def _import_units(client, own, sibling, names) -> list[str]:
    child = AdministrativeUnit.objects.filter(parent=sibling).order_by("code").first()
    files = {
        "a new unit under theirs": [
            [_free_code(sibling, child.level), "新建单位", child.level, sibling.code]
        ],
        "their unit's code under ours": [[child.code, "改名单位", child.level, own.code]],
    }
    problems = []
    for label, lines in files.items():
        upload = _csv([["code", "name", "level", "parent code"], *lines], "units.csv")
        status, page = _queued(client, IMPORTS["units"][1], {"file": upload})
        problems += [f"units, {label}: the report names {n}" for n in names if n in page]
        if status != 200 or "未导入任何单位" not in page:
            problems.append(f"units, {label}: the file was not refused ({status})")
    return problems


RUNS = {"volunteer roll": _import_roll, "12345 tickets": _import_tickets, "units": _import_units}


@pytest.mark.parametrize("role", IMPORTING_ROLES)
def test_an_import_naming_a_sibling_units_records_changes_nothing_of_theirs(
    demo_district, role, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user, own = _importer(role)
    sibling = _sibling(own)
    _seeded(sibling)
    # Names of the sibling's units: a report may not say where a record is.
    names = set(
        AdministrativeUnit.objects.filter(path__startswith=sibling.path).values_list(
            "name", flat=True
        )
    )
    allowed = [kind for kind, (action, _page) in IMPORTS.items() if action in ROLES[role].actions]
    assert allowed
    client = Client()
    client.force_login(user)
    before = _subtree(sibling)
    assert before["volunteers.Volunteer"] and before["consultation.Demand"]
    problems = []
    for kind in allowed:
        problems += RUNS[kind](client, own, sibling, names)
    after = _subtree(sibling)
    problems += _differences(before, after)
    assert not problems, "\n".join(problems[:40])
