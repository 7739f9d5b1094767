"""Administrative units: district → street → community or village → grid."""

import re

import pghistory
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet, regroup_subtree
from core.models.versioning import Versioned

__all__ = [
    "AdministrativeUnit",
    "UnitKind",
    "UnitLevel",
    "PARENT_LEVELS",
    "placement_error",
    "code_error",
    "short_name",
]


class UnitLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    GRID = "grid", _("Grid")


class UnitKind(models.TextChoices):
    """The unit's type in the statistical-division codes (城乡划分); grids are in no public list."""

    COUNTY = "county", _("District or county")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    TOWN = "town", _("Town")
    TOWNSHIP = "township", _("Township")
    OTHER_TOWNSHIP = "other_township", _("Other township-level unit")
    RESIDENTS = "residents", _("Residents' committee")
    VILLAGERS = "villagers", _("Villagers' committee")
    GRID = "grid", _("Grid")


LEVEL_OF_KIND = {
    UnitKind.COUNTY: "district",
    UnitKind.SUBDISTRICT: "street",
    UnitKind.TOWN: "street",
    UnitKind.TOWNSHIP: "street",
    UnitKind.OTHER_TOWNSHIP: "street",
    UnitKind.RESIDENTS: "community",
    UnitKind.VILLAGERS: "village",
    UnitKind.GRID: "grid",
}
DEFAULT_KIND = {
    "district": UnitKind.COUNTY,
    "street": UnitKind.SUBDISTRICT,
    "community": UnitKind.RESIDENTS,
    "village": UnitKind.VILLAGERS,
    "grid": UnitKind.GRID,
}

# The committee suffixes of official names, irregular spellings of the published list included.
_COMMITTEE = re.compile(r"(居民委员会|村民委员会|村民村委会|村民委会|村委会|居委会)$")


def short_name(official: str, parent_name: str = "") -> str:
    """The name people use: 汶源街道梅苑社区居民委员会 → 梅苑社区, 古墩村村民委员会 → 古墩村,
    验货台居民委员会 → 验货台居委会."""
    name = official.strip()
    for prefix in filter(None, {parent_name}):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
    match = _COMMITTEE.search(name)
    if match is None or match.start() == 0:
        return name
    stem = name[: match.start()]
    if stem.endswith(("社区", "村", "居")):
        return stem
    return f"{stem}{'居委会' if '居' in match.group(1) else '村委会'}"


# Which levels a unit of each level may hang under.
PARENT_LEVELS: dict[str, set[str | None]] = {
    UnitLevel.DISTRICT: {None},
    UnitLevel.STREET: {UnitLevel.DISTRICT},
    UnitLevel.COMMUNITY: {UnitLevel.STREET},
    UnitLevel.VILLAGE: {UnitLevel.STREET},
    UnitLevel.GRID: {UnitLevel.COMMUNITY, UnitLevel.VILLAGE},
}

# 统计用区划代码: 6 digits of county, 3 of street, 3 of community or village; a grid adds 3.
CODE_LENGTH = {
    UnitLevel.DISTRICT: 12,
    UnitLevel.STREET: 12,
    UnitLevel.COMMUNITY: 12,
    UnitLevel.VILLAGE: 12,
    UnitLevel.GRID: 15,
}


def code_prefix(code: str, level: str) -> str:
    """The part of a unit's code that every code below it must start with."""
    if level == UnitLevel.DISTRICT:
        return code[:6]
    if level == UnitLevel.STREET:
        return code[:9]
    return code


def placement_error(level: str, parent_level: str | None) -> str | None:
    allowed = PARENT_LEVELS.get(level)
    if allowed is None:
        return str(_("Unknown level."))
    if parent_level not in allowed:
        if parent_level is None:
            return str(_("A unit of this level needs a parent unit."))
        return str(
            _("A %(level)s cannot be placed directly under a %(parent)s.")
            % {"level": UnitLevel(level).label, "parent": UnitLevel(parent_level).label}
        )
    return None


def code_error(code: str, level: str, parent: "AdministrativeUnit | None") -> str | None:
    length = CODE_LENGTH.get(level)
    if length is None:
        return str(_("Unknown level."))
    if not code.isdigit() or len(code) != length:
        return str(_("The code of this level has %(n)d digits.") % {"n": length})
    if level == UnitLevel.DISTRICT and code[6:] != "000000":
        return str(_("A district code ends in six zeros."))
    if level == UnitLevel.STREET and code[9:] != "000":
        return str(_("A street code ends in three zeros."))
    if level in (UnitLevel.COMMUNITY, UnitLevel.VILLAGE) and code[9:] == "000":
        return str(_("A community or village code cannot end in 000."))
    if parent is not None:
        prefix = code_prefix(parent.code, parent.level)
        if not code.startswith(prefix) or code == parent.code:
            return str(
                _("The code must lie under its parent's code %(prefix)s.") % {"prefix": prefix}
            )
    return None


class UnitQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "path"

    def active(self):
        return self.filter(retired_on__isnull=True)

    def subtree(self, unit: "AdministrativeUnit"):
        return self.filter(path__startswith=unit.path)

    def annotate_public_children(self):
        return self.annotate(
            child_count=models.Count(
                "children",
                filter=models.Q(children__retired_on__isnull=True)
                & ~models.Q(children__level=UnitLevel.GRID),
            )
        ).order_by("code")

    def with_child_counts(self):
        # Meta.ordering does not apply to aggregating queries: order explicitly.
        return self.annotate(
            child_count=models.Count("children", filter=models.Q(children__retired_on__isnull=True))
        ).order_by("code")


@pghistory.track()
class AdministrativeUnit(Versioned, Tallied):
    code = models.CharField(_("code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=64)
    # The name as published in the statistical-division codes; `name` is the short one people use.
    official_name = models.CharField(_("official name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(_("division type"), max_length=16, choices=UnitKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes, "/370117000000/370117001000/": a subtree is a prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_on = models.DateField(_("established on"), default=timezone.localdate)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_reason = models.CharField(_("reason for retiring"), max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        indexes = [
            models.Index(
                fields=["path"], name="governance_unit_path_like", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:unit_detail", kwargs={"code": self.code})

    @property
    def tally_key(self) -> str:
        if self.kind == UnitKind.OTHER_TOWNSHIP:
            return "units.other_township"
        return f"units.{self.level}"

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    def save(self, *args, **kwargs):
        stored = None
        if self.pk is not None:
            stored = (
                AdministrativeUnit.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            )
        self.kind = self.kind or DEFAULT_KIND.get(self.level, "")
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        self.depth = self.path.count("/") - 2
        with transaction.atomic():
            super().save(*args, **kwargs)
            if stored is not None and stored != self.path:
                self._move_descendants(stored)

    def ancestors(self) -> list["AdministrativeUnit"]:
        """The units above, top first: one query for any unit, the district included."""
        codes = self.path.strip("/").split("/")[:-1]
        found = AdministrativeUnit.objects.filter(code__in=[*codes, self.code]).exclude(pk=self.pk)
        by_code = {u.code: u for u in found}
        return [by_code[c] for c in codes if c in by_code]

    def is_within(self, other: "AdministrativeUnit") -> bool:
        return self.path.startswith(other.path)

    def _move_descendants(self, old_path: str) -> None:
        """After this unit moved from old_path: rewrite the paths below it, and move its
        subtree's sums from the old ancestors to the new ones."""
        delta = self.depth - (old_path.count("/") - 2)
        models.QuerySet(AdministrativeUnit).filter(path__startswith=old_path).exclude(
            pk=self.pk
        ).update(
            path=Concat(Value(self.path), Substr("path", Length(Value(old_path)) + 1)),
            depth=F("depth") + delta,
        )
        regroup_subtree(self.pk, old_path, self.path)

    def tally_facts(self) -> list[Fact]:
        key = self.tally_key
        facts = [Fact(self.pk, self.created_on, key, 1)]
        if self.retired_on:
            facts.append(Fact(self.pk, self.retired_on, key, -1))
        return facts
