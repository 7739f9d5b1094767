"""Accounts of a manager's subtree: created, edited and granted memberships inside it only."""

import pghistory
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit, Membership
from core.models.scope import grant_paths, memberships_of, require
from core.roles import APPOINTS, ROLES, Action, Role

__all__ = [
    "account_create",
    "account_update",
    "holds_every_action",
    "membership_grant",
    "membership_revoke",
]


def holds_every_action(by, unit: AdministrativeUnit, role: Role) -> bool:
    """Whether `by` may do, at `unit`, everything the role may: only such roles are theirs to
    grant there (nobody hands out more than they hold), besides those their role appoints."""
    if by.is_superuser:
        return True
    if any(
        role.key in APPOINTS.get(held.role, ())
        for held in memberships_of(by)
        if held.unit.retired_on is None and unit.path.startswith(held.unit.path)
    ):
        return True
    return all(
        any(unit.path.startswith(path) for path in grant_paths(by, action))
        for action in role.actions
    )


def _check_role(by, unit: AdministrativeUnit, role: str) -> None:
    spec = ROLES.get(role)
    if spec is None or unit.level not in spec.levels:
        raise ValidationError({"role": _("This role cannot be held at this unit.")})
    if not holds_every_action(by, unit, spec):
        raise ValidationError(
            {"role": _("You can grant only roles whose every action you hold at this unit.")}
        )


def account_create(
    *, by, username: str, full_name: str, phone: str, password: str, unit, role: str
):
    require(by, Action.MANAGE_ACCOUNTS, unit)
    _check_role(by, unit, role)
    with transaction.atomic(), pghistory.context(user=by.pk, reason="account_create"):
        user = get_user_model().objects.create_user(
            username=username, password=password, full_name=full_name, phone=phone
        )
        Membership.objects.create(user=user, unit=unit, role=role)
        return user


def account_update(
    *,
    by,
    account,
    version: int,
    is_active: bool,
    new_password: str,
    full_name: str | None = None,
    phone: str | None = None,
):
    """A name or phone left out is kept as stored."""
    with transaction.atomic(), pghistory.context(user=by.pk, reason="account_update"):
        current = type(account).lock_at_version(account.pk, version)
        if full_name is not None:
            current.full_name = full_name
        if phone is not None:
            current.phone = phone
        if current.pk != by.pk:
            current.is_active = is_active
        if new_password:
            current.set_password(new_password)
        current.save()
        return current


def membership_grant(*, by, account, unit, role: str) -> Membership:
    require(by, Action.MANAGE_ACCOUNTS, unit)
    _check_role(by, unit, role)
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="membership_grant"):
            return Membership.objects.create(user=account, unit=unit, role=role)
    except IntegrityError as error:
        raise ValidationError(
            {"role": _("This account already holds this role at this unit.")}
        ) from error


def membership_revoke(*, by, membership: Membership) -> None:
    require(by, Action.MANAGE_ACCOUNTS, membership.unit)
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot take away your own role."))
    with transaction.atomic(), pghistory.context(user=by.pk, reason="membership_revoke"):
        membership.delete()
