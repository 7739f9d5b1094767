"""The landing page's work (待办): what each app adds for each role, registered from its
AppConfig.ready() with `add_work(role, provider, place)`.

A provider is called with a `Desk` (the user, the role, the units where the user holds it, today)
and returns what it adds to that role's section: `Button`s (the tasks the role starts most often),
`Queue`s (what waits, the first few items and a link to the whole filtered list) and `Figure`s.
A provider keeps to a few queries whatever the size of the data: a count and the first items of
each queue, never a query per item.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

__all__ = [
    "QUEUE_LENGTH",
    "Button",
    "Desk",
    "Figure",
    "Item",
    "Queue",
    "Section",
    "add_work",
    "overdue_first",
    "queue",
    "sections_for",
]

QUEUE_LENGTH = 5


@dataclass(frozen=True)
class Button:
    label: str
    url: str


@dataclass(frozen=True)
class Item:
    title: str
    url: str = ""  # empty: shown as text
    meta: str = ""
    flag: str = ""  # e.g. "逾期12天", shown as a warning
    action: str = ""  # the one thing to do about it, when it is not just opening it
    action_url: str = ""


@dataclass(frozen=True)
class Queue:
    label: str
    items: list[Item]
    total: int
    url: str = ""  # the whole list, filtered to these items
    waiting: bool = True  # work to do (counted in a badge), not just a record of what was done

    @property
    def more(self) -> bool:
        return bool(self.url) and self.total > len(self.items)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""
    note: str = ""


@dataclass
class Desk:
    """One role of one user: where they hold it (unit paths) and the day."""

    user: object
    role: str
    units: list
    today: date = field(default_factory=timezone.localdate)

    @property
    def paths(self) -> list[str]:
        return [unit.path for unit in self.units]

    def within(self, lookup: str = "unit__path") -> Q:
        """Records under the units where the user holds this role."""
        condition = Q(pk__in=[])
        for path in self.paths:
            condition |= Q(**{f"{lookup}__startswith": path})
        return condition


@dataclass
class Section:
    role: str
    label: str
    units: list
    buttons: list[Button] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def filled(self) -> list[Queue]:
        return [queue for queue in self.queues if queue.items]

    @property
    def empty(self) -> list[Queue]:
        """Shown after the others, one line each: nothing to scroll past to reach the work."""
        return [queue for queue in self.queues if not queue.items]

    @property
    def waiting(self) -> int:
        return sum(queue.total for queue in self.queues if queue.waiting)


Provider = Callable[[Desk], Iterable[Button | Queue | Figure]]

_providers: dict[str, list[tuple[int, Provider]]] = {}


def add_work(role: str, provider: Provider, place: int = 100) -> None:
    entries = _providers.setdefault(role, [])
    if all(existing is not provider for _place, existing in entries):
        entries.append((place, provider))
        entries.sort(key=lambda entry: entry[0])


def overdue_first(records, overdue: Q, date_field: str):
    """Overdue records first, the longest overdue first; then the rest, newest first."""
    late = Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField())
    oldest_late = Case(When(overdue, then=F(date_field)), default=Value(None))
    return records.order_by(late, oldest_late.asc(nulls_last=True), F(date_field).desc(), "-pk")


def queue(
    label, records, item: Callable, url: str = "", length: int = QUEUE_LENGTH, waiting: bool = True
) -> Queue:
    """The first `length` records as items and how many there are (counted only when the first
    page is full): two queries at most."""
    rows = list(records[:length])
    total = len(rows) if len(rows) < length else records.order_by().count()
    return Queue(label, [item(row) for row in rows], total, url, waiting)


def _held_roles(user) -> list[tuple[str, list]]:
    """(role, units) for each role the user holds, in the role table's order."""
    from core.models import AdministrativeUnit
    from core.models.scope import memberships_of
    from core.roles import ROLES

    held: dict[str, list] = {}
    active = [m for m in memberships_of(user) if m.unit.retired_on is None]
    for membership in sorted(active, key=lambda m: m.unit.code):
        held.setdefault(membership.role, []).append(membership.unit)
    if not held and user.is_superuser:
        root = AdministrativeUnit.objects.filter(parent__isnull=True).first()
        if root is not None:
            held["district_staff"] = [root]
    order = {key: role.order for key, role in ROLES.items()}
    return sorted(held.items(), key=lambda pair: order.get(pair[0], 1000))


def sections_for(user) -> list[Section]:
    from core.roles import ROLES

    sections = []
    today = timezone.localdate()
    for role, units in _held_roles(user):
        spec = ROLES.get(role)
        section = Section(role, spec.label if spec else role, units)
        desk = Desk(user, role, units, today)
        for _place, provider in _providers.get(role, []):
            for part in provider(desk):
                if isinstance(part, Button):
                    section.buttons.append(part)
                elif isinstance(part, Queue):
                    section.queues.append(part)
                else:
                    section.figures.append(part)
        sections.append(section)
    return sections
