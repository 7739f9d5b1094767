"""Hours: a leader records, the organising unit verifies, points follow; hours never exceed the
activity's length; no volunteer is in two activities at once; corrections keep their history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.volunteers.conftest import at
from volunteers.models import EntryKind, HoursStatus, PointEntry, ServiceHours
from volunteers.services.activities import (
    HoursLine,
    activity_create,
    hours_record,
    hours_verify,
)

pytestmark = pytest.mark.django_db


def activity(world, people, day=None, start=9, end=12, capacity=10, title="敬老院助老"):
    day = day or timezone.localdate() - timedelta(days=1)
    return activity_create(
        by=people.volunteer_leader,
        team=world.team,
        title=title,
        theme=world.theme,
        target_groups=[world.group],
        starts_at=at(day, start),
        ends_at=at(day, end),
        place="洪沟社区敬老院",
        capacity=capacity,
        served=30,
    )


def test_a_leader_records_and_the_unit_verifies_and_points_follow(world, people):
    made = activity(world, people)
    a, b = world.members[:2]
    saved = hours_record(
        by=people.volunteer_leader,
        activity=made,
        lines=[HoursLine(a, Decimal("3")), HoursLine(b, Decimal("2.5"))],
    )
    assert saved == 2
    assert set(ServiceHours.objects.values_list("status", flat=True)) == {HoursStatus.RECORDED}
    a.refresh_from_db()
    assert a.points_balance == 0  # recorded is not yet verified

    with pytest.raises(PermissionDenied):  # the leader cannot verify their own hours
        hours_verify(by=people.volunteer_leader, activity=made)
    assert hours_verify(by=world.honggou_worker, activity=made) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.points_balance, b.points_balance) == (30, 25)
    entry = PointEntry.objects.get(volunteer=a)
    assert (entry.kind, entry.delta, entry.balance_after) == (EntryKind.HOURS, 30, 30)
    assert "敬老院助老" in entry.reason


def test_hours_never_exceed_the_activity_and_nothing_is_saved(world, people):
    made = activity(world, people, start=9, end=12)
    a, b = world.members[:2]
    with pytest.raises(ValidationError) as error:
        hours_record(
            by=people.volunteer_leader,
            activity=made,
            lines=[HoursLine(a, Decimal("2")), HoursLine(b, Decimal("3.5"))],
        )
    assert "3.5" in str(error.value) and "3.0" in str(error.value)
    assert ServiceHours.objects.count() == 0


def test_hours_must_be_more_than_zero(world, people):
    made = activity(world, people)
    with pytest.raises(ValidationError):
        hours_record(
            by=people.volunteer_leader,
            activity=made,
            lines=[HoursLine(world.members[0], Decimal("0"))],
        )
    assert ServiceHours.objects.count() == 0


def test_a_volunteer_cannot_be_in_two_activities_at_the_same_time(world, people):
    first = activity(world, people, start=9, end=12, title="上午助老")
    second = activity(world, people, start=11, end=14, title="中考护航")
    later = activity(world, people, start=12, end=14, title="下午托管")
    volunteer = world.members[0]
    hours_record(
        by=people.volunteer_leader, activity=first, lines=[HoursLine(volunteer, Decimal("3"))]
    )
    with pytest.raises(ValidationError) as error:
        hours_record(
            by=people.volunteer_leader, activity=second, lines=[HoursLine(volunteer, Decimal("2"))]
        )
    assert "上午助老" in str(error.value)
    # Back to back is fine.
    hours_record(
        by=people.volunteer_leader, activity=later, lines=[HoursLine(volunteer, Decimal("2"))]
    )
    assert ServiceHours.objects.filter(volunteer=volunteer).count() == 2


def test_the_database_refuses_overlaps_that_slip_past_the_check(world, people):
    """Two leaders saving at the same moment: the exclusion constraint is the last word."""
    from django.db import IntegrityError, transaction
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    first = activity(world, people, start=9, end=12)
    second = activity(world, people, start=10, end=11)
    volunteer = world.members[0]
    for made in (first, second):
        row = ServiceHours(
            activity=made,
            volunteer=volunteer,
            unit_id=made.unit_id,
            served_on=made.day,
            during=DateTimeTZRange(made.starts_at, made.ends_at),
            hours=1,
        )
        if made is first:
            row.save()
        else:
            with pytest.raises(IntegrityError), transaction.atomic():
                row.save()


def test_more_volunteers_than_needed_are_refused(world, people):
    made = activity(world, people, capacity=2)
    with pytest.raises(ValidationError):
        hours_record(
            by=people.volunteer_leader,
            activity=made,
            lines=[HoursLine(v, Decimal("1")) for v in world.members[:3]],
        )


def test_hours_cannot_be_recorded_before_the_activity_begins(world, people):
    made = activity(world, people, day=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError):
        hours_record(
            by=people.volunteer_leader,
            activity=made,
            lines=[HoursLine(world.members[0], Decimal("1"))],
        )


def test_a_correction_of_verified_hours_is_verified_again_keeps_history_and_adjusts_points(
    world, people
):
    from pghistory.models import Events

    made = activity(world, people)
    volunteer = world.members[0]
    hours_record(
        by=people.volunteer_leader, activity=made, lines=[HoursLine(volunteer, Decimal("3"))]
    )
    hours_verify(by=world.honggou_worker, activity=made)
    hours_record(
        by=people.volunteer_leader, activity=made, lines=[HoursLine(volunteer, Decimal("2"))]
    )
    row = ServiceHours.objects.get()
    assert row.status == HoursStatus.RECORDED and row.hours == Decimal("2")
    hours_verify(by=world.honggou_worker, activity=made)
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 20
    kinds = list(PointEntry.objects.order_by("id").values_list("kind", "delta"))
    assert kinds == [(EntryKind.HOURS, 30), (EntryKind.CORRECTION, -10)]
    recorded = [e.pgh_data["hours"] for e in Events.objects.tracks(row).order_by("pgh_created_at")]
    assert "3.0" in [str(h) for h in recorded] and "2.0" in [str(h) for h in recorded]


def test_a_correction_is_refused_when_the_points_were_spent(world, people):
    from volunteers.services.points import goods_redeem

    made = activity(world, people)
    volunteer = world.members[0]
    hours_record(
        by=people.volunteer_leader, activity=made, lines=[HoursLine(volunteer, Decimal("3"))]
    )
    hours_verify(by=world.honggou_worker, activity=made)
    goods_redeem(
        by=world.counter,
        supermarket=world.supermarket,
        volunteer=volunteer,
        goods=world.goods,
        quantity=1,
    )
    hours_record(
        by=people.volunteer_leader, activity=made, lines=[HoursLine(volunteer, Decimal("1"))]
    )
    with pytest.raises(ValidationError):
        hours_verify(by=world.honggou_worker, activity=made)
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 0
    assert ServiceHours.objects.get().status == HoursStatus.RECORDED


def test_a_leader_of_another_unit_cannot_record(world, people, district):
    from core.models import Membership, User

    stranger = User.objects.create_user(username="meiyuan_leader", password="x")
    Membership.objects.create(user=stranger, unit=district.meiyuan, role="volunteer_leader")
    with pytest.raises(PermissionDenied):
        activity_create(
            by=stranger,
            team=world.team,
            title="越权",
            theme=world.theme,
            starts_at=at(timezone.localdate(), 9),
            ends_at=at(timezone.localdate(), 10),
            place="x",
            capacity=1,
        )
