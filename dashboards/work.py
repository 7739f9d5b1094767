"""What the district department sees first on the landing page (core/worklist.py): the headline
figures of the year so far from the metric registry, and the exceptions, the streets with the
most overdue items and the lowest resolution rate. Read from tallies only, in a few queries."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from core.metrics import Period, evaluate, metric
from core.worklist import Button, Desk, Figure, Item, Queue, add_work
from dashboards.figures import children_breakdown

__all__ = ["register"]

HEADLINE = (
    "disputes.received",
    "disputes.resolution_rate",
    "petitions.year_on_year",
    "hazards.overdue",
    "consultation.demands_received",
    "consultation.projects_delivered",
    "disclosure.overdue",
    "volunteers.hours",
)
OVERDUE = ("hazards.overdue", "disclosure.overdue", "findings.overdue")
RATE = "disputes.resolution_rate"
EXCEPTIONS = 3


def _shown(value, unit_label: str, rate: bool) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{Decimal(value):.1f}%"
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.1")) if value % 1 else int(value)
    return f"{value}{unit_label}"


def district_work(desk: Desk):
    period = Period(date(desk.today.year, 1, 1), desk.today)
    for unit in desk.units[:1]:
        board = reverse("governance:dashboard", kwargs={"code": unit.code})
        yield Button(_("Dashboard"), board)
        yield Button(_("Work briefing"), reverse("governance:briefing", kwargs={"code": unit.code}))
        chosen = [metric(key) for key in HEADLINE]
        values = evaluate(unit, period, chosen)
        for m in chosen:
            rate = m.kind in {"rate", "yoy"}
            yield Figure(str(m.label), _shown(values[m.key], str(m.unit_label), rate), board)
        rows = children_breakdown(unit, period, [metric(key) for key in (*OVERDUE, RATE)])
        late = sorted(
            ((sum(v[k] or 0 for k in OVERDUE), child, v) for child, v in rows),
            key=lambda row: (-row[0], row[1].code),
        )

        def link(child) -> str:
            return reverse("governance:dashboard", kwargs={"code": child.code})

        items = [
            Item(
                title=child.name,
                url=link(child),
                meta=_("hazards %(h)s · disclosures %(d)s · supervision findings %(f)s")
                % {"h": v[OVERDUE[0]] or 0, "d": v[OVERDUE[1]] or 0, "f": v[OVERDUE[2]] or 0},
                flag=_("%(n)s items overdue") % {"n": total},
            )
            for total, child, v in late[:EXCEPTIONS]
            if total
        ]
        yield Queue(_("Most overdue items"), items, sum(row[0] for row in late), board)
        rated = sorted(
            ((v[RATE], child) for child, v in rows if v[RATE] is not None),
            key=lambda row: (row[0], row[1].code),
        )
        yield Queue(
            _("Lowest dispute resolution rate"),
            [
                Item(title=child.name, url=link(child), meta=f"{metric(RATE).label} {rate:.1f}%")
                for rate, child in rated[:EXCEPTIONS]
            ],
            len(rated),
            board,
            waiting=False,
        )


def monthly_work(desk: Desk):
    """The last ended month's 月报 of each unit where the user signs it, while it is missing,
    and the units below whose report of that month is overdue."""
    from dashboards.models import MonthlyReport
    from dashboards.monthly import children_status, due_date

    month = (desk.today.replace(day=1) - timedelta(days=1)).replace(day=1)
    key = f"{month:%Y-%m}"
    overdue = desk.today > due_date(month)
    done = set(
        MonthlyReport.objects.filter(unit__in=desk.units, month=month).values_list(
            "unit_id", flat=True
        )
    )
    missing = [unit for unit in desk.units if unit.pk not in done]
    yield Queue(
        _("Monthly report to submit"),
        [
            Item(
                title=_("%(unit)s, report for %(month)s") % {"unit": unit.name, "month": key},
                url=reverse("governance:monthly_submit", args=[unit.code, key]),
                meta=_("due %(day)s") % {"day": f"{due_date(month):%Y-%m-%d}"},
                flag=_("overdue") if overdue else "",
            )
            for unit in missing
        ],
        len(missing),
    )
    below = [row for unit in desk.units[:3] for row in children_status(unit, month, desk.today)]
    late = [row for row in below if row.overdue]
    if below:
        yield Queue(
            _("Units below with an overdue monthly report"),
            [
                Item(
                    title=row.unit.name,
                    url=reverse("governance:monthly_list", args=[row.unit.code]),
                    meta=key,
                    flag=_("overdue"),
                )
                for row in late[:5]
            ],
            len(late),
            reverse("governance:monthly_overview", args=[desk.units[0].code]) + f"?month={key}",
        )


def register() -> None:
    add_work("district_staff", district_work, 10)
    for role in ("district_staff", "street_official", "community_worker"):
        add_work(role, monthly_work, 90)
