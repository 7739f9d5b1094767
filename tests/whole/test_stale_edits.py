"""No lost updates, over every edit form of the portal: two people open the same record, the
first saves a change, the second saves another change from the now stale page. The second gets
a 409 that shows the first person's value; nothing of theirs is saved, the first change stays.

The forms are the ones the crawler finds as each kind of user that carry a version, so an
editable page added later is held to this without a change here."""

import itertools
import re
import uuid

import pytest
from django.apps import apps
from django.db import transaction
from django.forms.models import model_to_dict

from core.privacy import NAME, mask
from tests.htmlforms import HtmlForm
from tests.whole.formfill import (
    client_for,
    errors_in,
    fill,
    form_classes_in_views,
    free_text_fields,
    is_move,
    more_instances,
    reopen,
)

pytestmark = pytest.mark.django_db

VERSION = re.compile(r"^(version(_\d+)?|v_\d+)$")
FORMSET_ROW = re.compile(r"^\w+-\d+-")
# Kinds of form the demo offers only on records where the first change cannot be made (the
# crawl finds them, but no first save succeeds there); each with why.
NOT_EXERCISED = {
    "units/<str:code>/move/": "the demo's streets have no other parent to move to",
    "units/<str:code>/retire/": "the crawl reaches only units that still have children",
    # Which project the crawl samples varies with the data: some can move on, some cannot.
    "projects/<int:pk>/move/": "some moves need a meeting of a kind the unit has not held",
}


# A real gap, found on the real tree, not yet fixed: the first thing to do next (see the closing note
# of issue 16/17's session). Its problems are not counted until then.
KNOWN_GAPS = {}


# Versioned forms the crawl cannot reach on the demo data; each with why, and where they are
# held to the same rule instead.
NOT_REACHED = {}


def carries_version(form: HtmlForm) -> bool:
    """An edit form: it posts back the version of a record the page was showing."""
    return any(VERSION.match(f.name) and f.value.strip() for f in form.fields if f.kind == "hidden")


def versioned_form_classes_in_views() -> set[type]:
    return form_classes_in_views("version")


def _event_models():
    return [m for m in apps.get_models() if getattr(m, "pgh_tracked_model", None) is not None]


def _last_events() -> dict:
    return {
        m: (m.objects.order_by("-pgh_id").values_list("pgh_id", flat=True).first() or 0)
        for m in _event_models()
    }


def _events_since(marks: dict) -> list[tuple[type, object]]:
    """(tracked model, pk) of every record with an event since the marks."""
    changed = []
    for model, last in marks.items():
        for pk in model.objects.filter(pgh_id__gt=last).values_list("pgh_obj_id", flat=True):
            changed.append((model.pgh_tracked_model, pk))
    return sorted(set(changed), key=lambda pair: (pair[0]._meta.label, str(pair[1])))


def _state(records) -> dict:
    state = {}
    for model, pk in records:
        row = model._default_manager.filter(pk=pk).first()
        state[(model._meta.label, pk)] = model_to_dict(row) if row else None
    return state


def _change(form: HtmlForm, data: dict, mark: str, step: int) -> str:
    """Make the person's change in the posted data; returns the value the page should show
    afterwards. Free text gets `mark`; a form without free text gets another number or choice."""
    # Rows of a formset (a post's fund lines) are left alone: text in an empty extra row would
    # make that row a new line with its amount missing.
    texts = [f for f in free_text_fields(form) if not FORMSET_ROW.match(f.name)]
    if texts:
        for field in texts:
            limit = int(field.attrs.get("maxlength") or 0)
            data[field.name] = [mark[:limit] if limit else mark]
        return mark
    for field in form.fields:
        if field.kind == "number" and field.name and not field.disabled:
            base = float(field.value or 0)
            high = field.attrs.get("max")
            value = base + step if not high or base + step <= float(high) else base - step
            shown = str(int(value)) if value == int(value) else str(value)
            data[field.name] = [shown]
            return shown
    for field in form.fields:
        if field.kind == "select" and field.name and not field.disabled:
            current = data.get(field.name, [""])
            others = [
                (v, label)
                for v, _s, off, label in field.options
                if v and not off and [v] != current
            ]
            if others:
                value, label = others[min(step - 1, len(others) - 1)]
                data[field.name] = [value]
                return label.split(" · ")[0]
    return ""


def _first_change(username, form: HtmlForm):
    """The first person opens the form and saves a change (with the required fields filled,
    and if that is refused, every empty choice too): (the value to look for, the records it
    changed, their state, whether every empty choice was filled) or a problem."""
    where = f"{form.action} ({username})"
    refusal = f"{where}: the form is gone when opened again"
    for eager in (False, True):
        client = client_for(username)
        mine = reopen(client, form)
        if mine is None:
            return refusal
        data, unknown = fill(mine, eager=eager)
        if unknown:
            refusal = f"{where}: no value for the required {unknown}"
            continue
        shown = _change(mine, data, f"甲{uuid.uuid4().hex[:6]}", 1)
        marks = _last_events()
        with transaction.atomic():
            response = client.post(mine.action, data)
            if response.status_code not in (301, 302, 303):
                transaction.set_rollback(True)
                refusal = (
                    f"{where}: the first change was refused ({response.status_code}): "
                    f"{errors_in(response.content.decode())[:3]}"
                )
                continue
        changed = _events_since(marks)
        if not changed:
            return f"{where}: the first change left no history: was it saved?"
        return shown, changed, _state(changed), eager
    return refusal


def _check(username, form: HtmlForm, theirs: HtmlForm) -> list[str]:
    """`theirs` was opened before the first change; the problems found, or []."""
    where = f"{form.action} ({username})"
    first = _first_change(username, form)
    if isinstance(first, str):
        return [first]
    shown_a, changed, after_a, eager = first
    second_client = client_for(username)
    data_b, _unknown = fill(theirs, eager=eager)  # filled as the first was, so just as valid
    mark_b = f"乙{uuid.uuid4().hex[:6]}"
    shown_b = _change(theirs, data_b, mark_b, 2)
    marks = _last_events()
    second = second_client.post(theirs.action, data_b)
    problems = []
    if second.status_code in (301, 302, 303) and is_move(theirs):
        # A move the record has already made is not made again: the page it sends the
        # person to is the record as the other person left it.
        second = second_client.get(second["Location"])
    elif second.status_code != 409:
        problems.append(f"{where}: a stale save answered {second.status_code}, not 409")
    page = second.content.decode()
    if _events_since(marks):
        problems.append(f"{where}: the stale save changed {_events_since(marks)}")
    if _state(changed) != after_a:
        problems.append(f"{where}: the first change was not kept")
    if mark_b in str(_state(changed)):
        problems.append(f"{where}: the stale change was saved")
    # A person's name is personal data: the other person's change shows masked (甲******).
    if shown_a and shown_a not in page and mask(shown_a, NAME) not in page:
        problems.append(f"{where}: the answer does not show the other person's {shown_a!r}")
    # An action without fields (submit for review) has no second change to make, and a move
    # tried again is the same move.
    if shown_b == shown_a and shown_a and not is_move(theirs):
        problems.append(f"{where}: could not make a second, different change")
    return problems


def _blocked(problem: str) -> bool:
    """A problem of the record tried, not of the form: the first change cannot be made there."""
    return any(
        words in problem
        for words in ("first change was refused", "no value for the required", "form is gone")
    )


def _check_kind(instances) -> list[str]:
    """The first instance of a kind of form where the first change can be made."""
    problems = []
    first_user, first_form = instances[0]
    more = more_instances(first_user, first_form)
    for username, form in itertools.chain(instances, more):
        with transaction.atomic():
            theirs = reopen(client_for(username), form)
            found = _check(username, form, theirs) if theirs else [f"{form.action}: gone"]
            transaction.set_rollback(True)
        if not found:
            return []
        if not all(_blocked(p) for p in found):
            return found
        problems += found
    return problems


@pytest.fixture
def edit_forms(crawled_forms):
    found = crawled_forms
    return {
        sig: [(u, f) for u, f in instances if carries_version(f)]
        for sig, instances in found.items()
        if any(carries_version(f) for _u, f in instances)
    }


def test_every_edit_form_refuses_a_stale_save_and_shows_the_other_change(edit_forms):
    classes = versioned_form_classes_in_views()
    assert len(edit_forms) >= len(classes), (
        f"found {len(edit_forms)} edit forms for {len(classes)} versioned form classes: "
        f"{sorted(sig[0] for sig in edit_forms)} vs {sorted(c.__name__ for c in classes)}"
    )
    crawled = [set(form.names()) for instances in edit_forms.values() for _u, form in instances]
    # A page may show only the fields a step needs (a project's move to "delivered" asks for a
    # date, not a meeting): a class is found where an edit form carries all its required fields.
    missed = sorted(
        cls.__name__
        for cls in classes
        if not any(
            {name for name, field in cls.base_fields.items() if field.required} | {"version"}
            <= names
            for names in crawled
        )
    )
    assert missed == sorted(NOT_REACHED), (
        f"versioned forms the crawl did not find: {missed}; known to be out of its reach: "
        f"{sorted(NOT_REACHED)} (a form in one list only: make the crawl reach it, or say why not)"
    )
    problems, exercised, unexercised = [], 0, []
    for sig, instances in sorted(edit_forms.items(), key=lambda item: str(item[0])):
        found = _check_kind(instances)
        blocked = found and all(_blocked(p) for p in found)
        if sig[0] in KNOWN_GAPS or (blocked and sig[0] in NOT_EXERCISED):
            unexercised.append(sig[0])
            continue
        exercised += 1
        problems += found
    assert not problems, "\n".join(problems)
    assert exercised >= len(classes) - len(NOT_EXERCISED), (exercised, len(classes))
    assert len(edit_forms) - exercised == len(unexercised)
    always = set(NOT_EXERCISED) - {"projects/<int:pk>/move/"}
    assert always <= set(unexercised) <= set(NOT_EXERCISED), (
        "NOT_EXERCISED names a form now exercised"
    )
