"""Shared makers for the consultation tests: demands, meetings and projects through the services."""

from datetime import date, timedelta

from django.utils import timezone

from consultation.models import Demand, DemandSource, MeetingKind, ProjectCategory
from consultation.services.consultation import (
    demand_log,
    meeting_record,
    project_move,
    project_propose,
)

PHONE, PHONE_MASKED = "13812345678", "138****5678"
NAME, NAME_MASKED = "王小明", "王**"


def today() -> date:
    return timezone.localdate()


def make_demand(by, unit, *, days_ago: int = 10, **extra) -> Demand:
    fields = {
        "source": DemandSource.GRID,
        "received_on": today() - timedelta(days=days_ago),
        "description": "小区门口道路坑洼，雨天积水。",
    }
    fields.update(extra)
    return demand_log(by=by, unit=unit, **fields)


def make_meeting(by, unit, kind: str, *, days_ago: int = 5, demands=(), projects=()):
    return meeting_record(
        by=by,
        unit=unit,
        kind=kind,
        held_on=today() - timedelta(days=days_ago),
        place="社区党群服务中心",
        host="社区书记",
        residents=12,
        representatives=5,
        party_members=4,
        businesses=1,
        departments=2,
        demands=demands,
        projects=projects,
    )


def category(name: str = "道路修缮") -> ProjectCategory:
    return ProjectCategory.objects.get_or_create(name=name)[0]


def make_project(by, unit, demands=(), *, days_ago: int = 8):
    meeting = make_meeting(by, unit, MeetingKind.ANALYSIS, days_ago=days_ago, demands=demands)
    return project_propose(
        by=by,
        meeting=meeting,
        title="修缮小区门口道路",
        category=category(),
        unit=unit,
        demands=demands,
    )


def deliver(by, project, *, agreed_ago: int = 6, started_ago: int = 4, delivered_ago: int = 1):
    agreed = make_meeting(by, project.unit, MeetingKind.DELIBERATION, days_ago=agreed_ago)
    project = project_move(
        by=by, project=project, to_stage="agreed", meeting=agreed, version=project.version
    )
    started = make_meeting(by, project.unit, MeetingKind.PROMOTION, days_ago=started_ago)
    project = project_move(
        by=by, project=project, to_stage="under_way", meeting=started, version=project.version
    )
    return project_move(
        by=by,
        project=project,
        to_stage="delivered",
        on=today() - timedelta(days=delivered_ago),
        beneficiaries=120,
        version=project.version,
    )
