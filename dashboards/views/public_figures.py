"""Public figures: district and street aggregates only, with nothing small enough to point at a
person (counts under 5 are suppressed below street level)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.metrics import metric
from core.metrics.periods import report_period
from core.models import AdministrativeUnit, UnitLevel
from dashboards.figures import units_figures

__all__ = ["public_figures", "suppressed", "PUBLIC_METRICS", "SMALL_COUNT"]

PUBLIC_METRICS = [
    "disputes.received",
    "disputes.resolved",
    "disputes.resolution_rate",
    "disputes.settled_in_grid",
    "hazards.rectified",
    "legal.people",
    "studios.cases",
]
SMALL_COUNT = 5
PUBLIC_LEVELS = {UnitLevel.DISTRICT, UnitLevel.STREET}


def suppressed(value, unit, kind: str):
    """None stands for "fewer than 5": below street level small counts are not shown."""
    if unit.level in PUBLIC_LEVELS or kind in {"rate", "mean", "yoy", "median"} or value is None:
        return value
    return None if value < SMALL_COUNT else value


@login_not_required
@require_GET
def public_figures(request: HttpRequest) -> HttpResponse:
    period = report_period("ytd", timezone.localdate())
    chosen = [metric(key) for key in PUBLIC_METRICS]
    units = list(
        AdministrativeUnit.objects.active()
        .filter(level__in=PUBLIC_LEVELS)
        .order_by("depth", "code")
    )
    figures = units_figures(units, period.current, chosen)
    rows = []
    for unit in units:
        values = figures[unit.pk]
        rows.append((unit, [suppressed(values[m.key], unit, m.kind) for m in chosen]))
    return render(
        request,
        "dashboards/public/figures.html",
        {"metrics": chosen, "rows": rows, "period": period},
    )
