"""Scope: the one way records are fetched for a user (`.for_user(user, action)`)."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

__all__ = ["ScopedQuerySet", "grant_paths", "may", "memberships_of", "require", "units_for"]


def memberships_of(user) -> list:
    """`user`'s memberships with their units, in the memberships' order (shallowest unit
    first), read once per user object: the authentication middleware makes one per request,
    so scope, menu and work list share one read."""
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("unit"))
        user._portal_memberships = cached
    return cached


def grant_paths(user, action: str) -> list[str]:
    """Unit paths under which `user` may do `action`, from their memberships (cached per user)."""
    from core.roles import ROLES

    cache = getattr(user, "_portal_grants", None)
    if cache is None:
        cache = {}
        for membership in memberships_of(user):
            if membership.unit.retired_on is not None:
                continue
            spec = ROLES.get(membership.role)
            for granted in spec.actions if spec else ():
                cache.setdefault(granted, []).append(membership.unit.path)
        user._portal_grants = cache
    paths = sorted(set(cache.get(action, [])))
    # A grant inside another grant's subtree adds nothing.
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


class ScopedQuerySet(models.QuerySet):
    """Subclasses name the lookup that leads to the record's unit path, e.g. "unit__path"."""

    scope_path = "unit__path"

    def for_user(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        paths = grant_paths(user, action)
        if not paths:
            return self.none()
        return self.filter(self.within(paths))

    def within(self, paths: list[str]) -> Q:
        """Records inside the subtrees at `paths`; a model whose records reach further (a
        volunteer organisation serving other units) widens this, not for_user."""
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{self.scope_path}__startswith": path})
        return condition

    def allows(self, user, action: str, record) -> bool:
        """Whether `user` may do `action` on `record` (a model instance or its primary key)."""
        return self.for_user(user, action).filter(pk=getattr(record, "pk", record)).exists()


def units_for(request_or_user, action: str):
    """The active units where the user (or the request's user) may do `action`, by code."""
    from core.models.units import AdministrativeUnit

    user = getattr(request_or_user, "user", request_or_user)
    return AdministrativeUnit.objects.for_user(user, action).active().order_by("code")


def may(user, action: str, unit) -> bool:
    """Whether `user` may do `action` at `unit` (a unit or its primary key). A unit read with
    its path is judged by the grants the request has already read, without a query."""
    from core.models.units import AdministrativeUnit

    if not isinstance(unit, AdministrativeUnit) or unit.pk is None or "path" not in unit.__dict__:
        return AdministrativeUnit.objects.allows(user, action, unit)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(unit.path.startswith(p) for p in grant_paths(user, action))


def require(user, action: str, unit) -> None:
    """Raise PermissionDenied unless `user` may do `action` at `unit`."""
    if not may(user, action, unit):
        raise PermissionDenied
