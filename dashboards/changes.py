"""Records changed after a moment that touch given months of a unit's subtree, found generically:
every source of the metric registry names its tally facts (unit, day, metric), and pghistory
keeps every state of its records. A change counts when the record's facts before or after it
fall in one of the months inside the subtree.

Only the events of records that ever hung in the subtree are read (selected in SQL through each
source's `unit_path`), and what is found is kept in the shared cache under the report's marks and
the newest event of every source, so a page opened again costs a couple of queries."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from core.metrics import metrics, sources
from core.models import AdministrativeUnit
from core.privacy import PERSONAL_FIELDS, user_display_name
from core.redaction import redact

__all__ = ["Change", "action_label", "history_marks", "link_openable", "record_changes"]

ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}
LIMIT = 200  # changes listed beside a report; more is a sign to look at the records themselves
CACHE_SECONDS = 7 * 24 * 3600  # a key names the newest events, so nothing in it goes stale


@dataclass
class Change:
    month: str  # 2026-11
    kind: str  # the record's kind, e.g. 矛盾纠纷案件
    record: str
    action: str  # created / changed / deleted
    who: str
    when: datetime
    figures: list[str]  # labels of the figures the record feeds that month
    record_id: int | None = None
    model: type | None = None
    url: str = ""

    def as_json(self) -> dict:
        fields = {k: v for k, v in self.__dict__.items() if k not in {"model", "record_id", "url"}}
        return {**fields, "when": timezone.localtime(self.when).isoformat()}

    @property
    def action_label(self) -> str:
        return action_label(self.action)


def action_label(action: str) -> str:
    return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}.get(
        action, action
    )


def _event_models():
    """(source, event model) for every source of the metric registry, in a fixed order."""
    found = []
    for source in sources():
        for event_model in set(getattr(source.model, "pgh_event_models", {}).values()):
            found.append((source, event_model))
    return sorted(found, key=lambda pair: pair[1]._meta.label)


def history_marks() -> dict[str, int]:
    """The last event of each tracked source model now, in one query: a report keeps these to
    tell what came after it. (Event ids only grow; pghistory's timestamps are its transactions'
    start.)"""
    event_models = [event_model for _source, event_model in _event_models()]
    marks = dict.fromkeys((m._meta.label for m in event_models), 0)
    lasts = [
        m.objects.annotate(pgh_mark_of=Value(m._meta.label))
        .order_by("-pgh_id")
        .values_list("pgh_mark_of", "pgh_id")[:1]
        for m in event_models
    ]
    if lasts:
        marks.update(lasts[0].union(*lasts[1:], all=True))
    return marks


def record_changes(unit, months: list[date], marks: dict[str, int]) -> list[Change]:
    """Each change after `marks` (see history_marks) to a record whose facts, before or after
    it, fall in one of the months inside the unit's subtree."""
    months_wanted = {f"{m:%Y-%m}" for m in months}
    if not months_wanted:
        return []
    key = _cache_key(unit, months_wanted, marks, history_marks())
    cached = cache.get(key)
    if cached is None:
        cached = _record_changes(unit, months_wanted, marks)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _cache_key(unit, months_wanted: set[str], marks: dict, newest: dict) -> str:
    """The report (its unit, months and marks) and the newest event of every source: any later
    change to a source moves the key."""
    text = json.dumps([unit.pk, unit.path, sorted(months_wanted), marks, newest], sort_keys=True)
    return "monthly-changes:" + hashlib.sha256(text.encode()).hexdigest()


def _record_changes(unit, months_wanted: set[str], marks: dict[str, int]) -> list[Change]:
    fed_by: dict[str, list[str]] = {}
    for m in metrics():
        for fact in m.facts:
            fed_by.setdefault(fact, []).append(str(m.label))
    found: list[tuple] = []  # (event, model, months, figure labels)
    for source, event_model in _event_models():
        mark = marks.get(event_model._meta.label, 0)
        found += _changes_of(source, event_model, mark, months_wanted, unit.path)
    in_subtree = set(
        AdministrativeUnit.objects.filter(
            pk__in={unit_id for _e, _m, facts in found for unit_id, _mo, _k in facts},
            path__startswith=unit.path,
        ).values_list("pk", flat=True)
    )
    users = _user_names(found)
    changes = []
    for event, model, facts in found:
        touched = sorted({(month, key) for unit_id, month, key in facts if unit_id in in_subtree})
        for month in sorted({month for month, _key in touched}):
            labels = sorted(
                {label for m, key in touched if m == month for label in fed_by.get(key, [])}
            )
            changes.append(
                Change(
                    month=month,
                    kind=str(model._meta.verbose_name),
                    record=_record_text(model, event),
                    action=ACTIONS.get(event.pgh_label, "changed"),
                    who=users.get(_context(event).get("user"), "—"),
                    when=event.pgh_created_at,
                    figures=labels,
                    record_id=event.pgh_obj_id,
                    model=model,
                )
            )
    changes.sort(key=lambda c: (c.month, c.when))
    return changes[:LIMIT]


def _changes_of(source, event_model, mark: int, months_wanted, path: str) -> list[tuple]:
    """The events after `mark` of records that hung inside the subtree at `path` in any state
    (before a move out of it as well as after one into it), with their facts in the months."""
    model = source.model
    inside = event_model.objects.filter(Q(**{f"{source.unit_path}__startswith": path}))
    after = list(
        event_model.objects.filter(pgh_id__gt=mark, pgh_obj_id__in=inside.values("pgh_obj_id"))
        .select_related("pgh_context")
        .order_by("pgh_obj_id", "pgh_id")[: LIMIT * 5]
    )
    if not after:
        return []
    ids = {event.pgh_obj_id for event in after}
    before = {
        event.pgh_obj_id: event
        for event in event_model.objects.filter(pgh_obj_id__in=ids, pgh_id__lte=mark)
        .order_by("pgh_obj_id", "-pgh_id")
        .distinct("pgh_obj_id")
    }
    states: dict[int, list] = {}  # each record's facts in the wanted months, state by state
    for event in [*before.values(), *after]:
        facts = [
            (fact.unit_id, f"{fact.day:%Y-%m}", fact.key)
            for fact in _facts(model, event)
            if f"{fact.day:%Y-%m}" in months_wanted
        ]
        states.setdefault(event.pgh_obj_id, []).extend(facts)
    return [(event, model, states[event.pgh_obj_id]) for event in after if states[event.pgh_obj_id]]


def _facts(model, event) -> list:
    """The facts of the record as the event saw it; none when they hang on a row since deleted
    (a deleted session's attendance), whose own deletion is then the change listed."""
    try:
        return _as_record(model, event).tally_facts()
    except ObjectDoesNotExist:
        return []


def _as_record(model, event):
    """The record as the event saw it (its snapshot), to ask it for its facts."""
    values = {
        field.attname: getattr(event, field.attname)
        for field in model._meta.concrete_fields
        if hasattr(event, field.attname)
    }
    values[model._meta.pk.attname] = event.pgh_obj_id
    return model(**values)


def link_openable(changes: list[Change], user) -> None:
    """Give each change the address of its record when the record is still there and the user
    may open it (its page fetches it through the same `for_user`); one query a kind of record."""
    by_model: dict[type, set[int]] = {}
    for change in changes:
        if change.model is not None and hasattr(change.model, "get_absolute_url"):
            by_model.setdefault(change.model, set()).add(change.record_id)
    urls = {}
    for model, ids in by_model.items():
        records = model._default_manager.all()
        if not hasattr(records, "for_user"):
            continue
        for record in records.for_user(user).filter(pk__in=ids):
            urls[(model, record.pk)] = record.get_absolute_url()
    for change in changes:
        change.url = urls.get((change.model, change.record_id), "")


def _context(event) -> dict:
    context = getattr(event, "pgh_context", None)
    return (context.metadata if context is not None else None) or {}


def _user_names(found) -> dict:
    ids = {_context(event).get("user") for event, *_rest in found} - {None}
    return {u.pk: user_display_name(u) for u in get_user_model().objects.filter(pk__in=ids)}


def _record_text(model, event) -> str:
    """What the record is called, with any phone or ID number in it masked; a record that
    carries personal data is named by its number only, since its name could be a person's."""
    if PERSONAL_FIELDS.get(model._meta.label):
        return f"#{event.pgh_obj_id}"
    try:
        return redact(str(_as_record(model, event)))
    except ObjectDoesNotExist:
        return f"#{event.pgh_obj_id}"
