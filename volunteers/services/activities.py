"""Activities and hours: a team leader records, the organising unit verifies, points follow.

Rules: hours are more than zero and never exceed the activity's length; a volunteer cannot be in
two activities at the same time; no more volunteers than the activity needs; a correction of
verified hours sends them back for verification, and pghistory keeps what they were.
"""

from dataclasses import dataclass
from decimal import Decimal

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import may
from volunteers.models import (
    Activity,
    EntryKind,
    HoursStatus,
    ServiceHours,
    Team,
    Volunteer,
    VolunteerStatus,
)
from volunteers.roles import Action
from volunteers.services.points import points_change, points_for_hours

__all__ = [
    "HoursLine",
    "activity_create",
    "teams_to_log_for",
    "activity_update",
    "can_record",
    "signup_add",
    "signup_remove",
    "can_verify",
    "hours_record",
    "hours_verify",
]


def can_record(user, activity: Activity) -> bool:
    return may(user, Action.RECORD_SERVICE, activity.unit_id)


def can_verify(user, activity: Activity) -> bool:
    return may(user, Action.VERIFY_HOURS, activity.unit_id)


def _check_times(starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("An activity ends after it starts.")})
    if (ends_at - starts_at).total_seconds() > 24 * 3600:
        raise ValidationError({"ends_at": _("An activity lasts at most 24 hours.")})


def teams_to_log_for(user):
    """The teams `user` may log activities for: every team of the units whose volunteers they
    manage; otherwise only the teams they lead."""
    teams = Team.objects.for_user(user, Action.RECORD_SERVICE)
    if user.is_superuser:
        return teams
    managed = Team.objects.for_user(user, Action.MANAGE_VOLUNTEERS).values("pk")
    return teams.filter(Q(pk__in=managed) | Q(pk__in=user.led_teams.values("pk")))


def activity_create(*, by, team: Team, target_groups=(), **fields) -> Activity:
    if not may(by, Action.RECORD_SERVICE, team.unit_id):
        raise PermissionDenied
    if not teams_to_log_for(by).filter(pk=team.pk).exists():
        raise ValidationError(
            {"team": _("A team leader logs activities only for the teams they lead.")}
        )
    _check_times(fields["starts_at"], fields["ends_at"])
    with transaction.atomic(), pghistory.context(user=by.pk, reason="activity_create"):
        activity = Activity(team=team, unit_id=team.unit_id, created_by=by, **fields)
        activity.save()
        activity.target_groups.set(target_groups)
    return activity


def activity_update(*, by, activity: Activity, version: int, target_groups=(), **fields):
    if not can_record(by, activity):
        raise PermissionDenied
    _check_times(fields["starts_at"], fields["ends_at"])
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="activity_update"):
            current = Activity.lock_at_version(activity.pk, version)
            times_moved = (current.starts_at, current.ends_at) != (
                fields["starts_at"],
                fields["ends_at"],
            )
            if times_moved and current.hours.filter(status=HoursStatus.VERIFIED).exists():
                raise ValidationError(
                    {"starts_at": _("Hours of this activity were verified: its time is fixed.")}
                )
            taken = current.hours.count()
            if fields.get("capacity", current.capacity) < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(n)s volunteers are already signed up or recorded: "
                            "the activity needs at least %(n)s."
                        )
                        % {"n": taken}
                    }
                )
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
            current.target_groups.set(target_groups)
            if times_moved:
                for row in current.hours.all():
                    row.during = DateTimeTZRange(current.starts_at, current.ends_at)
                    row.served_on = current.day
                    if row.hours and row.hours > current.length_hours:
                        raise ValidationError(
                            {
                                "ends_at": _(
                                    "%(hours)s hours are already recorded for a volunteer: "
                                    "the activity cannot be shorter than that."
                                )
                                % {"hours": row.hours}
                            }
                        )
                    row.save()
    except IntegrityError:
        raise ValidationError(
            {"starts_at": _("A volunteer of this activity is in another activity at that time.")}
        ) from None
    return current


@dataclass
class HoursLine:
    volunteer: Volunteer
    hours: Decimal | None  # None: not there (removes a recorded, unverified line)


def _overlapping(activity: Activity, volunteer_ids: list[int]) -> dict[int, Activity]:
    clashes = (
        ServiceHours.objects.filter(
            volunteer_id__in=volunteer_ids,
            during__overlap=DateTimeTZRange(activity.starts_at, activity.ends_at),
        )
        .exclude(activity=activity)
        .select_related("activity")
    )
    return {row.volunteer_id: row.activity for row in clashes}


def hours_record(*, by, activity: Activity, lines: list[HoursLine]) -> int:
    """Record (or correct) the hours of those signed up; all lines or none. Returns lines saved.

    A volunteer who did not sign up is signed up in the same transaction, only while the activity
    has room: the activity's row is locked as signup_add locks it, so the two queue. A line left
    empty takes back recorded, unverified hours and leaves the volunteer signed up."""
    if not can_record(by, activity):
        raise PermissionDenied
    if activity.starts_at > timezone.now():
        raise ValidationError(_("Hours are recorded once the activity has begun."))
    length = activity.length_hours
    errors = []
    present = [line for line in lines if line.hours is not None]
    for line in present:
        if line.hours <= 0:
            errors.append(_("%(name)s: hours must be more than zero.") % {"name": line.volunteer})
        elif line.hours > length:
            errors.append(
                _("%(name)s: %(hours)s hours is longer than the activity (%(length)s hours).")
                % {"name": line.volunteer, "hours": line.hours, "length": length}
            )
    clashes = _overlapping(activity, [line.volunteer.pk for line in present])
    for line in present:
        if other := clashes.get(line.volunteer.pk):
            errors.append(
                _("%(name)s is in another activity at that time: %(other)s.")
                % {"name": line.volunteer, "other": other.title}
            )
    if errors:
        raise ValidationError(errors)
    saved = 0
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="hours_record"):
            current = Activity.objects.select_for_update().get(pk=activity.pk)
            existing = {
                row.volunteer_id: row
                for row in ServiceHours.objects.select_for_update().filter(activity=current)
            }
            _check_joining(current, [li for li in present if li.volunteer.pk not in existing])
            for line in lines:
                row = existing.get(line.volunteer.pk)
                if line.hours is None:
                    if row is not None and row.status == HoursStatus.RECORDED:
                        row.hours = None
                        row.status = HoursStatus.SIGNED_UP
                        row.version += 1
                        row.save()
                    continue
                if row is None:
                    row = ServiceHours(
                        activity=current,
                        volunteer=line.volunteer,
                        unit_id=current.unit_id,
                        served_on=current.day,
                        during=DateTimeTZRange(current.starts_at, current.ends_at),
                    )
                elif row.hours == line.hours and row.status != HoursStatus.SIGNED_UP:
                    continue
                row.hours = line.hours
                row.status = HoursStatus.RECORDED
                row.recorded_by = by
                row.verified_by = None
                row.verified_at = None
                row.version += 1
                row.save()
                saved += 1
    except IntegrityError:
        raise ValidationError(
            _("A volunteer is in another activity at that time; nothing was saved.")
        ) from None
    return saved


def _check_joining(activity: Activity, joining: list[HoursLine]) -> None:
    """Those not signed up join only if active and only while the activity has room. Each error
    names the volunteer in its params, so a form can show it next to their line."""
    taken = activity.hours.count()
    room = max(activity.capacity - taken, 0)
    errors = []
    for line in joining:
        params = {
            "volunteer": line.volunteer.pk,
            "name": str(line.volunteer),
            "taken": taken,
            "capacity": activity.capacity,
            "room": room,
            "joining": len(joining),
        }
        if line.volunteer.status != VolunteerStatus.ACTIVE:
            message = _("%(name)s did not sign up, and only active volunteers can sign up.")
            errors.append(ValidationError(message, code="inactive", params=params))
        elif room == 0:
            message = _(
                "%(name)s did not sign up, and the activity is full "
                "(%(taken)s of %(capacity)s signed up)."
            )
            errors.append(ValidationError(message, code="full", params=params))
        elif len(joining) > room:
            message = _(
                "%(name)s did not sign up, and the activity has room for %(room)s more "
                "(%(taken)s of %(capacity)s signed up) while %(joining)s were entered."
            )
            errors.append(ValidationError(message, code="full", params=params))
    if errors:
        raise ValidationError(errors)


def hours_verify(*, by, activity: Activity) -> int:
    """The organising unit verifies every recorded line; points follow the rule (a corrected
    line gets or gives back the difference). Returns how many lines were verified."""
    if not can_verify(by, activity):
        raise PermissionDenied
    count = 0
    with transaction.atomic(), pghistory.context(user=by.pk, reason="hours_verify"):
        rows = ServiceHours.objects.select_for_update().filter(
            activity=activity, status=HoursStatus.RECORDED
        )
        for row in rows.select_related("volunteer"):
            row.status = HoursStatus.VERIFIED
            row.verified_by = by
            row.verified_at = timezone.now()
            points = points_for_hours(row.hours)
            before = row.points_credited
            row.points_credited = points
            row.save()
            if delta := points - before:
                try:
                    points_change(
                        volunteer_id=row.volunteer_id,
                        delta=delta,
                        kind=EntryKind.HOURS if before == 0 else EntryKind.CORRECTION,
                        reason=_("%(title)s, %(hours)s hours")
                        % {"title": activity.title, "hours": row.hours},
                        unit_id=activity.unit_id,
                        by=by,
                        hours=row,
                    )
                except ValidationError:
                    raise ValidationError(
                        _(
                            "%(name)s has already spent the points of the hours being corrected; "
                            "nothing was verified."
                        )
                        % {"name": row.volunteer}
                    ) from None
            count += 1
    return count


def signup_add(*, by, activity: Activity, volunteer: Volunteer) -> ServiceHours:
    """Sign a volunteer up. The activity's row is locked while the sign-ups are counted, so two
    sign-ups at once queue and the second sees the first: never more than the capacity. The
    unique (activity, volunteer) constraint refuses a second sign-up, the exclusion constraint an
    activity at the same time."""
    if not can_record(by, activity):
        raise PermissionDenied
    if volunteer.status != "active":
        raise ValidationError({"volunteer": _("Only active volunteers can sign up.")})
    if activity.ends_at <= timezone.now():
        raise ValidationError({"volunteer": _("This activity is over; record hours instead.")})
    try:
        with transaction.atomic(), pghistory.context(user=by.pk, reason="signup_add"):
            current = Activity.objects.select_for_update().get(pk=activity.pk)
            if current.hours.filter(volunteer=volunteer).exists():
                raise ValidationError(
                    {"volunteer": _("%(name)s is already signed up.") % {"name": volunteer}}
                )
            if current.hours.count() >= current.capacity:
                raise ValidationError(
                    {
                        "volunteer": _("The activity is full: it needs %(n)s volunteers.")
                        % {"n": current.capacity}
                    }
                )
            clash = _overlapping(current, [volunteer.pk]).get(volunteer.pk)
            if clash is not None:
                raise ValidationError(
                    {
                        "volunteer": _("%(name)s is in another activity at that time: %(other)s.")
                        % {"name": volunteer, "other": clash.title}
                    }
                )
            row = ServiceHours(
                activity=current,
                volunteer=volunteer,
                unit_id=current.unit_id,
                served_on=current.day,
                during=DateTimeTZRange(current.starts_at, current.ends_at),
                status=HoursStatus.SIGNED_UP,
                recorded_by=by,
            )
            row.save()
    except IntegrityError:
        raise ValidationError(
            {
                "volunteer": _(
                    "%(name)s is already signed up, or in another activity at that time."
                )
                % {"name": volunteer}
            }
        ) from None
    return row


def signup_remove(*, by, activity: Activity, volunteer_id: int) -> bool:
    """Take back a sign-up; hours already recorded or verified stay (they are corrected on the
    hours form). Returns whether a sign-up was removed."""
    if not can_record(by, activity):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="signup_remove"):
        row = (
            ServiceHours.objects.select_for_update()
            .filter(activity=activity, volunteer_id=volunteer_id)
            .first()
        )
        if row is None:
            return False
        if row.status != HoursStatus.SIGNED_UP:
            raise ValidationError(
                _("Hours are already recorded for this volunteer; correct them on the hours form.")
            )
        row.delete()
    return True
