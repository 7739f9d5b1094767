"""Leaving care keeps the past figures: a visit whose day passed before the person left stays
due and overdue; one not yet due leaves the figures with them; drills and a recomputation agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from care.models import CarePerson, LeaveReason
from care.services.changes import person_leave
from care.services.people import mark_overdue
from core.metrics.drills import drill_for
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.metrics.registry import Period, evaluate, metric

pytestmark = pytest.mark.django_db

KEYS = ("care.visits_due", "care.visits_overdue")


def figures(unit, period):
    found = evaluate(unit, period, [metric(k) for k in KEYS])
    for key in KEYS:  # the records behind each figure add up to it
        drill = drill_for(key)
        assert drill.total(drill.records(unit, period)) == found[key], key
    return found


def leave(person, by):
    current = CarePerson.objects.get(pk=person.pk)
    return person_leave(
        by=by,
        person=current,
        version=current.version,
        left_on=timezone.localdate(),
        reason=LeaveReason.MOVED_AWAY,
    )


def test_a_missed_visit_stays_missed_after_leaving(care, people, district):
    today = timezone.localdate()
    CarePerson.objects.filter(pk=care.elder.pk).update(next_visit_due=today - timedelta(days=3))
    mark_overdue()
    past = Period(today - timedelta(days=10), today - timedelta(days=1))
    unit = care.elder.unit
    assert figures(unit, past) == {"care.visits_due": 1, "care.visits_overdue": 1}
    leave(care.elder, people.grid_worker)
    assert figures(unit, past) == {"care.visits_due": 1, "care.visits_overdue": 1}
    assert stored_facts() == recomputed_facts()


def test_a_visit_missed_before_the_nights_marking_counts_as_overdue(care, people):
    today = timezone.localdate()
    CarePerson.objects.filter(pk=care.elder.pk).update(next_visit_due=today - timedelta(days=1))
    leave(care.elder, people.grid_worker)
    past = Period(today - timedelta(days=10), today - timedelta(days=1))
    assert figures(care.elder.unit, past) == {"care.visits_due": 1, "care.visits_overdue": 1}
    assert mark_overdue() == 0
    assert stored_facts() == recomputed_facts()


def test_a_visit_not_yet_due_leaves_the_figures_with_the_person(care, people):
    today = timezone.localdate()
    elder = CarePerson.objects.get(pk=care.elder.pk)
    assert elder.next_visit_due >= today
    ahead = Period(today, today + timedelta(days=60))
    assert figures(elder.unit, ahead) == {"care.visits_due": 1, "care.visits_overdue": 0}
    leave(elder, people.grid_worker)
    assert figures(elder.unit, ahead) == {"care.visits_due": 0, "care.visits_overdue": 0}
    assert stored_facts() == recomputed_facts()
