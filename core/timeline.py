"""A record's timeline, read from pghistory's events: what changed, who changed it, when, why.

Everything a person reads is derived from the tracked model's field metadata, in one place: a
field is called by its verbose_name, a choice by its label, a moment in local time, a link by
the name of what it links to (a user by the masked display name), a file or structured data
(JSON) only by the fact that it changed. Internal fields (keys, versions, tree paths, hashes) are
left out.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import DateRangeField, DateTimeRangeField
from django.db import models
from django.db.models import Q, Value
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pghistory import core as pghistory_core
from pghistory.utils import related_model

from core.privacy import NAME, PERSONAL_FIELDS, mask, user_display_name

__all__ = ["Change", "TimelineEntry", "timeline_for", "user_display_name", "INTERNAL_FIELDS"]

# Fields no reader needs: keys, optimistic-lock versions, tree bookkeeping, secrets, and the
# times the event itself already carries.
INTERNAL_FIELDS = {
    "id",
    "key",
    "submission_key",
    "token",
    "digest",
    "version",
    "path",
    "depth",
    "numchild",
    "_order",
    "password",
    "last_login",
    "created_at",
    "updated_at",
    "thumbnail",
}
USER_NAME_FIELDS = ("full_name", "first_name", "last_name")
LABELS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}
EMPTY = "—"


@dataclass
class Change:
    """One field's change; `old` is None on creation, `note` stands in for both (a file)."""

    name: str
    old: str | None
    new: str
    note: str = ""


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _field_name(model_field) -> str:
    """A field's name for people: a link without a name of its own is called by what it links to
    (Django's default name would be the English attribute name)."""
    unnamed = model_field.verbose_name == model_field.name.replace("_", " ")
    if unnamed and model_field.is_relation and model_field.related_model is not None:
        return str(model_field.related_model._meta.verbose_name)
    return str(model_field.verbose_name)


def _shown_fields(model) -> dict[str, models.Field]:
    """The fields a reader sees, by the key pghistory stores them under (the attname)."""
    return {
        f.attname: f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in INTERNAL_FIELDS
    }


def _related_names(fields, events) -> dict[str, dict[str, str]]:
    """For each link, the names of the records its events point at (one query per link)."""
    names: dict[str, dict[str, str]] = {}
    User = get_user_model()
    for attname, f in fields.items():
        if not (f.is_relation and f.related_model is not None):
            continue
        keys = set()
        for event in events:
            diff = (event.pgh_diff or {}).get(attname) or []
            for data in (diff, [(event.pgh_data or {}).get(attname)]):
                keys.update(k for k in data if k is not None)
        if not keys:
            continue
        found = f.related_model._default_manager.in_bulk(list(keys))
        if issubclass(f.related_model, User):
            names[attname] = {str(k): user_display_name(v) for k, v in found.items()}
        else:
            names[attname] = {str(k): str(v) for k, v in found.items()}
    return names


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _moment(value, f) -> str:
    if isinstance(f, models.DateTimeField):
        moment = value if isinstance(value, datetime) else parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return dateformat.format(moment, "Y-m-d H:i")
    if isinstance(f, models.DateField):
        day = value if isinstance(value, date) else parse_date(str(value))
        return dateformat.format(day, "Y-m-d") if day else str(value)
    clock = value if isinstance(value, time) else parse_time(str(value))
    return clock.strftime("%H:%M") if clock else str(value)


RANGE_BOUND = re.compile(r'"?([^",\[\]()]+)"?')


def _span(value, f) -> str:
    """A stored range ('["2026-11-03 01:00:00+00","2026-11-03 03:00:00+00")') from–to, local."""
    if not isinstance(value, str):
        return str(value)
    inner = value.strip("[]()")
    ends = [RANGE_BOUND.fullmatch(part.strip()) for part in inner.split(",", 1)]
    base = models.DateTimeField() if isinstance(f, DateTimeRangeField) else models.DateField()
    shown = [_moment(m.group(1), base) if m else "" for m in ends]
    return " — ".join(shown)


def _value(value, f, personal: str | None, related: dict[str, str]) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if personal:
        return mask(value, personal)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if f.is_relation:
        return related.get(str(value), gettext("(removed record)"))
    if isinstance(value, list):
        base = getattr(f, "base_field", None)
        return "、".join(_value(v, base, None, related) if base else str(v) for v in value)
    if f.choices:
        return str(_choice_labels(f).get(str(value), value))
    if isinstance(f, (models.DateField, models.TimeField)):
        return _moment(value, f)
    if isinstance(f, (DateTimeRangeField, DateRangeField)):
        return _span(value, f)
    if isinstance(value, (int, float)):
        return _number(value)
    return str(value)


@cache
def _choice_labels(f) -> dict:
    """A field's choices by stored value; the labels stay lazy, translated when shown."""
    return {str(k): v for k, v in f.flatchoices}


def _file_note(old, new) -> str:
    if old and new:
        return gettext("replaced")
    return gettext("added") if new else gettext("removed")


def _data_note(old, new) -> str:
    """Structured data (a report's figures as submitted) is read on its record's own page; in
    the timeline, only the fact that it changed."""
    if old and new:
        return gettext("updated")
    return gettext("recorded") if new else gettext("removed")


def _changes(event, model, fields, related, named: dict[str, str]) -> list[Change]:
    if event.pgh_label == "delete":
        return []
    personal = PERSONAL_FIELDS.get(model._meta.label, {})
    if issubclass(model, get_user_model()):  # a user's own name, masked as everywhere else
        personal = {**personal, **dict.fromkeys(USER_NAME_FIELDS, NAME)}
    created = not event.pgh_diff
    source = (
        {k: (None, v) for k, v in (event.pgh_data or {}).items()} if created else event.pgh_diff
    )
    changes = []
    for attname, (old, new) in source.items():
        f = fields.get(attname)
        if f is None or (old in (None, "", []) and new in (None, "", [])):
            continue
        name = named.get(attname)
        if name is None:
            name = named[attname] = _field_name(f)
        if isinstance(f, models.FileField):
            changes.append(Change(name, None, "", _file_note(old, new)))
            continue
        if isinstance(f, models.JSONField):
            changes.append(Change(name, None, "", _data_note(old, new)))
            continue
        kind = personal.get(f.name)
        links = related.get(attname, {})
        changes.append(
            Change(
                name,
                None if created else _value(old, f, kind, links),
                _value(new, f, kind, links),
            )
        )
    return changes


def _latest(record, limit: int, *, related: bool) -> dict[str, list[int]]:
    """The newest `limit` events of the record, as event-model label → pgh_ids, picked from the
    bare event rows: pghistory's aggregate query builds each event's data and diff before it
    sorts and cuts, which over an account's every reference costs a scan of thousands."""
    concrete = type(record)._meta.concrete_model
    if related:
        event_models = pghistory_core.event_models(references_model=concrete)
    else:
        event_models = pghistory_core.event_models(tracks_model=concrete)
    branches = []
    for model in event_models:
        if related:
            columns = [f.attname for f in model._meta.fields if related_model(f) == concrete]
        else:
            columns = [model._meta.get_field("pgh_obj").attname]
        points_at = Q()
        for column in columns:
            points_at |= Q(**{column: record.pk})
        branches.append(
            model.objects.filter(points_at)
            .annotate(pgh_model=Value(model._meta.label))
            .order_by("-pgh_created_at", "-pgh_id", "pgh_model")
            .values_list("pgh_model", "pgh_id", "pgh_created_at")[:limit]
        )
    if not branches:
        return {}
    rows = branches[0]
    if len(branches) > 1:
        rows = (
            branches[0]
            .union(*branches[1:], all=True)
            .order_by("-pgh_created_at", "-pgh_id", "pgh_model")
        )
    chosen: dict[str, list[int]] = {}
    for label, pgh_id, _when in rows[:limit]:
        chosen.setdefault(label, []).append(pgh_id)
    return chosen


def timeline_for(record, limit: int = 50, *, related: bool = False) -> list[TimelineEntry]:
    """Events of the record; with related=True also of rows that point at it (its memberships)."""
    from pghistory.models import Events

    own = type(record)._meta.label
    chosen = _latest(record, limit, related=related)
    if not chosen:
        return []
    events = Events.objects.references(record) if related else Events.objects.tracks(record)
    wanted = Q()
    for label, ids in chosen.items():
        wanted |= Q(pgh_model=label, pgh_id__in=ids)
    events = list(
        events.across(*chosen)
        .filter(wanted)
        .order_by("-pgh_created_at", "-pgh_id", "pgh_model")[:limit]
    )
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    users = {
        # Who acted: named by the one rule for staff (masked full name, else login name).
        u.pk: user_display_name(u)
        for u in get_user_model().objects.filter(pk__in=[i for i in user_ids if i])
    }
    by_model: dict[str, list] = {}
    for event in events:
        by_model.setdefault(event.pgh_obj_model, []).append(event)
    described = {}
    for label, model_events in by_model.items():
        model = apps.get_model(label)
        fields = _shown_fields(model)
        described[label] = (model, fields, _related_names(fields, model_events), {})
    entries = []
    for event in events:
        model, fields, names, named = described[event.pgh_obj_model]
        context = event.pgh_context or {}
        action = str(LABELS.get(event.pgh_label, event.pgh_label))
        if event.pgh_obj_model != own:
            action = gettext("%(action)s %(record)s") % {
                "action": action,
                "record": model._meta.verbose_name,
            }
        reason = str(context.get("reason", ""))
        entries.append(
            TimelineEntry(
                when=timezone.localtime(event.pgh_created_at),
                who=users.get(context.get("user"), EMPTY),
                action=action,
                reason=reason.split(": ", 1)[1] if ": " in reason else "",
                changes=_changes(event, model, fields, names, named),
            )
        )
    return entries
