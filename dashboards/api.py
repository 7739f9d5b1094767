"""Public figures in the open-data API (/api/v1/figures): the metrics of the public figures page,
for a unit and a period, under the same small-cell rule (below street level a count under 5 is
null)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from core.metrics import evaluate, metric
from core.metrics.periods import report_period
from core.models import AdministrativeUnit, UnitLevel
from dashboards.views.public_figures import PUBLIC_METRICS, suppressed

__all__ = ["router"]

router = Router(tags=["Public figures"])

LEVELS = [UnitLevel.DISTRICT, UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE]


class FigureQuery(Schema):
    unit: str | None = None
    period: Literal["ytd", "month", "quarter", "last_year", "custom"] = "ytd"
    start: date | None = None
    end: date | None = None


class Figure(Schema):
    key: str
    label: str
    definition: str
    kind: str
    unit_label: str
    value: Decimal | int | None


class Figures(Schema):
    unit: str
    unit_name: str
    period: str
    start: date
    end: date
    figures: list[Figure]


@router.get("/figures", response=Figures, summary="Public figures of a unit over a period")
def figures(request, query: Query[FigureQuery]):
    """`unit` is a unit's code (the district when left out); `period` is ytd (this year to
    date), month, quarter, last_year or custom (with `start` and `end`). A value is null when
    there is nothing to compute it from, or when below street level it counts fewer than 5."""
    if query.unit:
        unit = get_object_or_404(
            AdministrativeUnit.objects.active().filter(level__in=LEVELS), code=query.unit
        )
    else:
        unit = AdministrativeUnit.objects.active().filter(parent__isnull=True).first()
        if unit is None:
            raise HttpError(404, _("Not found."))
    if query.period == "custom" and not (query.start and query.end and query.start <= query.end):
        raise HttpError(400, _("A custom period needs a start on or before its end."))
    if query.start and query.start.year < 1900:
        raise HttpError(400, _("A custom period needs a start on or before its end."))
    period = report_period(query.period, timezone.localdate(), query.start, query.end)
    chosen = [metric(key) for key in PUBLIC_METRICS]
    values = evaluate(unit, period.current, chosen)
    return {
        "unit": unit.code,
        "unit_name": unit.name,
        "period": query.period,
        "start": period.current.start,
        "end": period.current.end,
        "figures": [
            {
                "key": m.key,
                "label": str(m.label),
                "definition": str(m.definition),
                "kind": m.kind,
                "unit_label": str(m.unit_label),
                "value": suppressed(values[m.key], unit, m.kind),
            }
            for m in chosen
        ],
    }
