"""A double submit creates one record, over every create form of the portal: every form the
crawler finds as each kind of user that carries a submission key is filled in with valid data
and posted twice with the same key. The first post creates the record; the second creates
nothing and goes where the first went.

Valid data comes from the form itself (its initial values, choices, dates and numbers within
their bounds); the few fields whose format no generic value passes are in VALUES below. A
create form that neither way can submit fails the test, so new forms are covered or named."""

import itertools
import random
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import resolve

from core.models import AdministrativeUnit
from core.models.units import CODE_LENGTH, code_error
from tests.htmlforms import HtmlForm
from tests.whole.formfill import (
    client_for,
    errors_in,
    fill,
    form_classes_in_views,
    more_instances,
    reopen,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _id_number(form, field, data) -> list[str]:
    if form.action.startswith("/volunteers/transfers/"):
        # A transfer asks for someone registered in another street than the unit asking.
        unit = AdministrativeUnit.objects.get(pk=data["unit"][0])
        street = "/".join(unit.path.split("/")[:3]).rstrip("/") + "/"
        elsewhere = Volunteer.objects.exclude(unit__path__startswith=street).first()
        if elsewhere is not None:
            return [elsewhere.id_number]
    body = f"370117{random.randrange(1950, 2000)}0101{random.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return [body + "10X98765432"[total % 11]]


def _phone(form, field, data) -> list[str]:
    return [f"139{random.randrange(10**8):08d}"]


def _unit_code(form, field, data) -> list[str]:
    """A free code of the chosen level under the unit the form adds to."""
    parent = AdministrativeUnit.objects.get(code=resolve(form.action).kwargs["code"])
    level = data["level"][0]
    for _attempt in range(200):
        code = parent.code[:9] + f"{random.randrange(1, 1000):03d}"
        if len(code) != CODE_LENGTH[level]:
            code = (code + "0" * 12)[: CODE_LENGTH[level]]
        if (
            code_error(code, level, parent) is None
            and not AdministrativeUnit.objects.filter(code=code).exists()
        ):
            return [code]
    return [""]


# Fields no generic value passes: their format is checked (a checksum, a mobile number, a code
# under the parent's) or they must be unique.
VALUES = {
    "id_number": _id_number,
    "phone": _phone,
    "contact_phone": _phone,
    "guardian_phone": _phone,
    "serial": lambda form, field, data: [f"BR-{uuid.uuid4().hex[:10]}"],
    "username": lambda form, field, data: [f"dup{uuid.uuid4().hex[:8]}"],
    "password": ["Gangcheng-Test-2026!"],
    "party-0-name": ["张测试"],
    "code": _unit_code,
    "starts_at": lambda form, field, data: [data.get("starts_at", [""])[0] or "2026-06-01T09:00"],
    "ends_at": lambda form, field, data: ["2026-06-01T11:00"],
}
# Create forms the crawl cannot reach in the demo, each with why; any other form with a
# submission key that a view uses must be among the forms the crawl finds.
NOT_REACHED = {
    "RedeemForm": "the points counter shows it only after a volunteer's ID number is posted",
    "DeedForm": "the points counter shows it only after a volunteer's ID number is posted",
    "ProjectProposeForm": "only an analysis meeting with open demands shows it",
    "PersonEditForm": "changing a person in care carries the record's version: an edit form, held by "
    "test_stale_edits (tests/care/test_person_changes.py submits it twice)",
    "PersonLeaveForm": "leaving care carries the record's version: an edit form, held by "
    "test_stale_edits (tests/care/test_person_changes.py submits it twice)",
    "ChildActivityForm": "only a child's record shows it, while an activity held for the child's "
    "grid is not yet recorded for them; the crawl opens one person's record per address "
    "(tests/care/test_child_activities.py submits it twice)",
    "PickVolunteerForm": "activity sign-ups and team rosters show it beside a volunteer search's "
    "results only (tests/volunteers/test_signups.py and test_teams.py submit it twice)",
}
# Forms with a submission key that are not a create answered by a redirect, each with why and
# where a second submit is held instead.
NOT_CREATING = {
    "care/people/<int:pk>/bracelets/<int:device_pk>/unbind/": "unbinding changes a bracelet and "
    "creates nothing; tests/care/test_bracelets.py submits it again (400, nothing changes)",
    "care/bracelets/<int:pk>/unbind/": "unbinding from the maintenance list changes a bracelet "
    "and creates nothing; tests/care/test_maintenance_unbind.py submits it again (nothing changes)",
}
# Tables that change beside the record on any write: history, tallies, keys, sessions.
BOOKKEEPING = {"django_session", "pghistory_context"} | {
    m._meta.db_table
    for m in apps.get_models()
    if getattr(m, "pgh_tracked_model", None) is not None
    or m._meta.label in {"governance.Tally", "governance.SubtreeTally", "governance.SubmissionKey"}
}


CACHE_TABLE = settings.CACHES["default"].get("LOCATION")


def _inserts() -> dict[str, int]:
    """Rows inserted by this transaction so far, by table (attempts in rolled-back savepoints
    included: a second submit should not even try)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins FROM pg_stat_xact_user_tables")
        # The shared cache's table holds rate-limit counts and cached pages, not records.
        return {table: n for table, n in cursor.fetchall() if table != CACHE_TABLE}


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (a table name we listed)
        return cursor.fetchone()[0]


def _first_submit(username, form: HtmlForm):
    """Fill in and post the form, required fields first, then every empty one: (client, data,
    inserts before, the response) or a problem."""
    where = f"{form.action} ({username})"
    problem = f"{where}: the form is gone when opened again"
    for eager in (False, True):
        client = client_for(username)
        again = reopen(client, form)
        if again is None:
            return problem
        data, unknown = fill(again, VALUES, eager=eager)
        if unknown:
            problem = f"{where}: no valid value for {unknown}: add it to VALUES"
            continue
        before = _inserts()
        with transaction.atomic():
            first = client.post(again.action, data)
            if first.status_code in (301, 302, 303):
                return client, again, data, before, first
            transaction.set_rollback(True)
        problem = (
            f"{where}: valid data was refused ({first.status_code}): "
            f"{errors_in(first.content.decode())[:4]} — add the field to VALUES"
        )
    return problem


def _check(username, form: HtmlForm) -> list[str]:
    where = f"{form.action} ({username})"
    done = _first_submit(username, form)
    if isinstance(done, str):
        return [done]
    client, again, data, before, first = done
    after_first = _inserts()
    made = {
        table: after_first.get(table, 0) - before.get(table, 0)
        for table in after_first
        if after_first.get(table, 0) != before.get(table, 0) and table not in BOOKKEEPING
    }
    if not made:
        return [f"{where}: the first submit created no record"]
    counts = {table: _count(table) for table in made}
    second = client.post(again.action, data)
    after_second = _inserts()
    problems = []
    tried = {
        table: after_second[table] - after_first.get(table, 0)
        for table in after_second
        if after_second[table] != after_first.get(table, 0) and table != "django_session"
    }
    if tried:
        problems.append(f"{where}: the second submit inserted {tried}")
    if {table: _count(table) for table in made} != counts:
        problems.append(f"{where}: the second submit changed the counts of {sorted(made)}")
    if 1 not in made.values():
        problems.append(f"{where}: the first submit made no single record: {made}")
    if second.status_code not in (301, 302, 303) or second["Location"] != first["Location"]:
        problems.append(
            f"{where}: the second submit answered {second.status_code} "
            f"{second.get('Location')}, not the first's {first['Location']}"
        )
    return problems


def _blocked(problem: str) -> bool:
    """A problem of the record tried, not of the form (a volunteer with no verified hours
    cannot be given a certificate): the next record of the kind is tried."""
    return any(
        words in problem for words in ("valid data was refused", "no valid value", "form is gone")
    )


def _check_kind(instances) -> list[str]:
    """The first instance of a kind of form that valid data can be submitted to."""
    problems = []
    first_user, first_form = instances[0]
    more = more_instances(first_user, first_form)
    for username, form in itertools.chain(instances, more):
        with transaction.atomic():
            found = _check(username, form)
            transaction.set_rollback(True)
        if not found:
            return []
        if not all(_blocked(p) for p in found):
            return found
        problems += found
    return problems


def creates(form) -> bool:
    """A create form: it carries a submission key and no version of a record it edits (a draft's
    edit page reuses the post form, key included: stale edits are test_stale_edits' business)."""
    return bool(form.value("submission_key")) and not (form.value("version") or "").strip()


@pytest.fixture
def create_forms(crawled_forms):
    found = crawled_forms
    return {
        sig: [(u, f) for u, f in instances if creates(f)]
        for sig, instances in found.items()
        if any(creates(f) for _u, f in instances)
    }


def once_form_classes_in_views() -> set[type]:
    return form_classes_in_views("submission_key")


def test_every_create_form_makes_one_record_when_submitted_twice(create_forms):
    crawled = [set(form.names()) for instances in create_forms.values() for _u, form in instances]
    missed = sorted(
        cls.__name__
        for cls in once_form_classes_in_views()
        if not any(set(cls.base_fields) <= names for names in crawled)
    )
    assert missed == sorted(NOT_REACHED), (
        f"create forms the crawl did not find: {missed}; known to be out of its reach: "
        f"{sorted(NOT_REACHED)} (a form in one list only: make the crawl reach it, or say why not)"
    )
    problems = []
    for sig, instances in sorted(create_forms.items(), key=lambda item: str(item[0])):
        if sig[0] not in NOT_CREATING:
            problems += _check_kind(instances)
    assert set(NOT_CREATING) <= {sig[0] for sig in create_forms}, "NOT_CREATING names a lost form"
    assert not problems, "\n".join(problems)
