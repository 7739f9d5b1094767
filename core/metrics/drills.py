"""Drill-through: the records behind a figure. For a count or a stock the list's length is the
figure; for a sum (person-times) its total is; for a rate the list is the denominator's records,
with a column saying which are in the numerator."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Column", "Drill", "register_drill", "drill_for"]


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable  # record -> shown value (never raw personal data)
    link: bool = False


@dataclass(frozen=True)
class Drill:
    records: Callable  # (unit, period) -> queryset, already limited to the unit's subtree
    columns: tuple[Column, ...]
    date_field: str
    total: Callable | None = None  # queryset -> the figure, when it is a sum
    extra: tuple[Column, ...] = field(default_factory=tuple)


_drills: dict[str, Drill] = {}


def register_drill(*keys: str, drill: Drill) -> None:
    for key in keys:
        _drills[key] = drill


def drill_for(key: str) -> Drill | None:
    return _drills.get(key)


def _in(unit, path: str = "unit__path") -> Q:
    return Q(**{f"{path}__startswith": unit.path})


def _register() -> None:
    from core.models import AdministrativeUnit

    other = Q(kind="other_township")
    for key, within in [
        ("street", Q(level="street") & ~other),
        ("other_township", other),
        ("community", Q(level="community")),
        ("village", Q(level="village")),
        ("grid", Q(level="grid")),
    ]:
        register_drill(
            f"units.{key}",
            drill=Drill(
                lambda u, p, within=within: AdministrativeUnit.objects.filter(
                    within, path__startswith=u.path, created_on__lte=p.end
                ).filter(Q(retired_on__isnull=True) | Q(retired_on__gt=p.end)),
                (
                    Column(_("Name"), lambda x: x.name, link=True),
                    Column(_("Statistical division code"), lambda x: x.code),
                    Column(_("Established on"), lambda x: x.created_on),
                ),
                "created_on",
            ),
        )


_register()
