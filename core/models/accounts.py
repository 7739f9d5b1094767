"""People who log in, and their memberships: (unit, role)."""

import pghistory
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet, memberships_of
from core.models.versioning import Versioned
from core.privacy import personal_data, user_display_name
from core.roles import ROLES, role_choices

__all__ = ["User", "Membership"]


class UserQuerySet(ScopedQuerySet):
    scope_path = "memberships__unit__path"

    def for_user(self, user, action: str = "view"):
        # Through a subquery: a user with several memberships in scope is still one row.
        return self.filter(pk__in=super().for_user(user, action).values("pk"))


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


@personal_data(full_name="name", phone="phone")
@pghistory.track(exclude=["password", "last_login"])
class User(Versioned, AbstractUser):
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        # Every `{{ user }}` and str(user) names the account by the one rule (masked).
        return user_display_name(self)

    def primary_membership(self) -> "Membership | None":
        held = memberships_of(self)  # ordered by the unit's depth, then its code
        return held[0] if held else None

    def actions_anywhere(self) -> set[str]:
        roles = {membership.role for membership in memberships_of(self)}
        return {action for role in roles if role in ROLES for action in ROLES[role].actions}


class MembershipQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track()
class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "governance.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=role_choices)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__depth", "unit__code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=("user", "unit", "role"), name="%(app_label)s_%(class)s_user_unit_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
