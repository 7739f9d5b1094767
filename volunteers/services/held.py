"""The activities held for a unit, as core.handoffs gives them to other apps (care links the
children it looks after to the 暑期托管 and 关爱 activities that served them)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from core.handoffs import ActivitySummary
from volunteers.models import Activity

__all__ = ["VolunteerActivities"]


def _line(unit) -> list[str]:
    """The paths of `unit` and every unit above it: "/a/", "/a/b/", "/a/b/c/"."""
    codes = [code for code in unit.path.split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


def _summaries(activities, url_ids: set[int]) -> list[ActivitySummary]:
    rows = activities.select_related("unit", "team", "theme").annotate(
        n_volunteers=Count("hours"), hours_total=Sum("hours__hours")
    )
    return [
        ActivitySummary(
            pk=a.pk,
            held_on=a.held_on,
            title=a.title,
            theme=a.theme.name,
            team=a.team.name,
            organiser=a.unit.name,
            volunteers=a.n_volunteers,
            hours=a.hours_total or Decimal(0),
            url=a.get_absolute_url() if a.pk in url_ids else "",
        )
        for a in rows
    ]


class VolunteerActivities:
    def held_for(self, unit, since: date, until: date) -> list[ActivitySummary]:
        activities = Activity.objects.filter(
            unit__path__in=_line(unit), held_on__gte=since, held_on__lte=until
        ).order_by("-held_on", "-pk")
        return _summaries(activities, set())

    def summaries(self, ids, user) -> dict[int, ActivitySummary]:
        activities = Activity.objects.filter(pk__in=list(ids))
        may_open = set(
            Activity.objects.for_user(user).filter(pk__in=list(ids)).values_list("pk", flat=True)
        )
        return {s.pk: s for s in _summaries(activities, may_open)}
