"""A record's timeline, read from pghistory's events: what changed, who changed it, when, why."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.privacy import PERSONAL_FIELDS, mask

__all__ = ["TimelineEntry", "timeline_for"]

HIDDEN_FIELDS = {
    "id",
    "path",
    "depth",
    "version",
    "pgh_obj",
    "password",
    "last_login",
    "created_at",
}
LABELS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]


def _shown(value, kind: str | None, labels: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if kind:
        return mask(value, kind)
    return str(labels.get(str(value), value))


def _field_name(field) -> str:
    """A field's name for people: a link without a name of its own is called by what it links to
    (Django's default name would be the English attribute name)."""
    unnamed = field.verbose_name == field.name.replace("_", " ")
    if unnamed and field.is_relation and field.related_model is not None:
        return str(field.related_model._meta.verbose_name)
    return str(field.verbose_name)


def _value_labels(model, events) -> dict[str, dict[str, str]]:
    """Readable values: a choice's label, a foreign key's object, instead of raw keys."""
    labels: dict[str, dict[str, str]] = {}
    for field in model._meta.concrete_fields:
        if field.choices:
            labels[field.name] = {str(k): str(v) for k, v in field.flatchoices}
        elif field.is_relation and field.related_model is not None:
            keys = set()
            for event in events:
                data = event.pgh_diff or {}
                keys.update(v for v in data.get(field.attname, []) if v is not None)
                if (event.pgh_data or {}).get(field.attname) is not None:
                    keys.add(event.pgh_data[field.attname])
            if keys:
                found = field.related_model._default_manager.in_bulk(list(keys))
                labels[field.name] = {str(k): str(v) for k, v in found.items()}
    return labels


def timeline_for(record, limit: int = 50, *, related: bool = False) -> list[TimelineEntry]:
    """Events of the record; with related=True also of rows that point at it (its memberships)."""
    from pghistory.models import Events

    model = type(record)
    personal = PERSONAL_FIELDS.get(model._meta.label, {})
    names = {f.name: _field_name(f) for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    names.update({"unit": str(_("unit")), "role": str(_("role")), "user": str(_("user"))})
    events = Events.objects.references(record) if related else Events.objects.tracks(record)
    events = list(events.order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    users = {
        u.pk: str(u) for u in get_user_model().objects.filter(pk__in=[i for i in user_ids if i])
    }
    labels = _value_labels(model, events)
    entries = []
    for event in events:
        context = event.pgh_context or {}
        changes = []
        source = event.pgh_diff or {k: [None, v] for k, v in (event.pgh_data or {}).items()}
        for field, (old, new) in source.items():
            name = field.removesuffix("_id")
            if name in HIDDEN_FIELDS or (old in (None, "") and new in (None, "")):
                continue
            kind = personal.get(name)
            shown = labels.get(name, {})
            changes.append(
                (names.get(name, name), _shown(old, kind, shown), _shown(new, kind, shown))
            )
        reason = str(context.get("reason", ""))
        entries.append(
            TimelineEntry(
                when=event.pgh_created_at,
                who=users.get(context.get("user"), "—"),
                action=str(LABELS.get(event.pgh_label, event.pgh_label)),
                reason=reason.split(": ", 1)[1] if ": " in reason else "",
                changes=changes,
            )
        )
    return entries
