"""The dashboard's figures on small hand-built data: the cards equal `evaluate()` and counts made
directly over the records, the breakdown equals each child's own figures, and drill-through lists
exactly the records behind a figure, without personal data."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Min, Q
from django.utils import timezone

from core.metrics import Period, evaluate, metrics
from core.metrics.drills import drill_for
from core.metrics.periods import report_period
from core.models import AdministrativeUnit
from disputes.models import (
    DisputeCase,
    Hazard,
    LegalService,
    MediationSession,
    MediationStudio,
    ServicePoint,
)
from disputes.services import case_move
from tests.disputes.helpers import PARTY, log_case

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


# Building the records


def resolve(case, by, on):
    return case_move(by=by, case=case, move="resolve", version=case.version, resolved_on=on)


def escalate(case, by, times=1):
    for _ in range(times):
        case = case_move(by=by, case=case, move="escalate", version=case.version, reason="上报")
    return case


def hazard(unit, by, found_on, deadline, rectified_on=None) -> Hazard:
    made = Hazard(
        unit=unit,
        category="fire",
        place="楼道",
        description="电动车楼道充电",
        severity="medium",
        found_on=found_on,
        deadline=deadline,
        rectified_on=rectified_on,
        rectification="已整改" if rectified_on else "",
        reported_by=by,
    )
    made.save()
    return made


def point(unit, kind, opened_on, closed_on=None) -> ServicePoint:
    made = ServicePoint(
        unit=unit,
        kind=kind,
        name=f"{unit.name}{kind}",
        address="文化路1号",
        services="服务",
        hours="8:00-17:00",
        opened_on=opened_on,
        closed_on=closed_on,
    )
    made.save()
    return made


@dataclass
class Records:
    this_year: int
    last_year: int


def build_records(district, people) -> Records:
    """Cases in two streets resolved at grid, community, street and district level, petitions in
    three years, hazards (one fixed late, one overdue), legal service and service points."""
    boss = people.district_staff
    y = today().year
    ly, yb = y - 1, y - 2
    d = district
    # 艾山街道, last year
    a1 = log_case(boss, d.meiyuan_grid, source="petition", received_on=date(ly, 3, 10))
    resolve(a1, boss, date(ly, 3, 15))
    a2 = log_case(boss, d.meiyuan_grid, received_on=date(ly, 4, 1))
    resolve(escalate(a2, boss), boss, date(ly, 4, 11))
    log_case(boss, d.meiyuan, source="petition", received_on=date(ly, 8, 8))
    a4 = log_case(boss, d.meiyuan_grid2, source="petition", received_on=date(ly, 1, 1))
    resolve(a4, boss, date(ly, 1, 2))
    studio = MediationStudio.objects.create(
        unit=d.aishan, name="艾山调解室", address="a", hours="h", mediators="m"
    )
    MediationSession.objects.create(
        case=a2, held_on=date(ly, 4, 5), studio=studio, mediators="m", record="r"
    )
    MediationSession.objects.create(
        case=a2, held_on=date(ly, 4, 8), studio=studio, mediators="m", record="r"
    )
    # 汶源街道, last year
    w1 = log_case(boss, d.honggou_grid, received_on=date(ly, 5, 2))
    resolve(escalate(w1, boss, 2), boss, date(ly, 6, 1))
    w2 = log_case(boss, d.honggou_grid, received_on=date(ly, 6, 1))
    resolve(escalate(w2, boss, 3), boss, date(ly, 7, 1))
    w3 = log_case(boss, d.honggou, received_on=date(ly, 12, 31))
    resolve(w3, boss, date(y, 1, 1))
    w4 = log_case(boss, d.honggou_grid, received_on=date(ly, 9, 9))
    case_move(
        by=boss,
        case=w4,
        move="refer",
        version=w4.version,
        reason="不同意调解",
        resolved_on=date(ly, 9, 10),
        referral="litigation",
        referred_body="钢城区人民法院",
    )
    # The year before last: petitions only
    for _ in range(3):
        log_case(boss, d.meiyuan_grid, source="petition", received_on=date(yb, 2, 2))
    w5 = log_case(boss, d.honggou_grid, source="petition", received_on=date(yb, 3, 3))
    resolve(w5, boss, date(yb, 3, 5))
    # This year, on 1 January (always on or before today)
    a5 = log_case(boss, d.meiyuan_grid, source="petition", received_on=date(y, 1, 1))
    resolve(a5, boss, date(y, 1, 1))
    # Hazards
    hazard(d.meiyuan_grid, boss, date(ly, 2, 1), date(ly, 2, 10), date(ly, 3, 1))
    hazard(d.honggou, boss, date(ly, 9, 1), date(ly, 9, 30))
    hazard(d.meiyuan, boss, date(y, 1, 1), date(y, 1, 1) + timedelta(days=30))
    # Legal service
    for unit, held_on, reached in [
        (d.aishan, date(ly, 6, 6), 30),
        (d.honggou, date(ly, 7, 7), 12),
        (d.meiyuan_grid, date(y, 1, 1), 5),
    ]:
        LegalService(unit=unit, held_on=held_on, kind="consultation", people_reached=reached).save()
    # Service points
    point(d.aishan, "canteen", date(ly, 5, 5))
    point(d.honggou, "grid_station", date(2021, 1, 1), date(ly, 10, 10))
    return Records(this_year=y, last_year=ly)


# Figures counted straight from the records, without tallies


def _ratio(numerator, denominator, scale):
    if not denominator:
        return None
    return (Decimal(scale) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _within(queryset, field, p: Period):
    return queryset.filter(**{f"{field}__gte": p.start, f"{field}__lte": p.end})


def counted(unit, p: Period) -> dict:
    below = {"unit__path__startswith": unit.path}
    cases = DisputeCase.objects.filter(**below)
    received = _within(cases, "received_on", p)
    resolved = _within(cases.filter(status="resolved"), "resolved_on", p)
    days = sum((c.resolved_on - c.received_on).days for c in resolved)
    petitions = _within(cases.filter(source="petition"), "received_on", p)
    petitions_before = _within(cases.filter(source="petition"), "received_on", p.year_before())
    studio_cases = cases.annotate(
        first=Min("sessions__held_on", filter=Q(sessions__studio__isnull=False))
    )
    hazards = Hazard.objects.filter(**below)
    values = {
        "disputes.received": received.count(),
        "disputes.resolved": resolved.count(),
        "disputes.resolution_rate": _ratio(
            received.filter(status="resolved").count(), received.count(), 100
        ),
        "disputes.settled_in_grid": _ratio(
            resolved.filter(settled_level="grid").count(), resolved.count(), 100
        ),
        "disputes.settled_in_street": _ratio(
            resolved.filter(settled_level__in=["grid", "community", "street"]).count(),
            resolved.count(),
            100,
        ),
        "disputes.days_to_resolve": _ratio(days, resolved.count(), 1),
        "petitions.received": petitions.count(),
        "petitions.year_on_year": _ratio(
            petitions.count() - petitions_before.count(), petitions_before.count(), 100
        ),
        "studios.cases": _within(studio_cases, "first", p).count(),
        "legal.people": sum(
            _within(LegalService.objects.filter(**below), "held_on", p).values_list(
                "people_reached", flat=True
            )
        ),
        "hazards.found": _within(hazards, "found_on", p).count(),
        "hazards.rectified": _within(hazards, "rectified_on", p).count(),
        "hazards.overdue": hazards.filter(deadline__lt=p.end)
        .filter(Q(rectified_on__isnull=True) | Q(rectified_on__gt=p.end))
        .count(),
    }
    for kind in ("grid_station", "worker_station", "canteen", "mediation"):
        values[f"points.{kind}"] = (
            ServicePoint.objects.filter(**below, kind=kind, opened_on__lte=p.end)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=p.end))
            .count()
        )
    for level in ("street", "community", "village", "grid"):
        values[f"units.{level}"] = (
            AdministrativeUnit.objects.filter(
                path__startswith=unit.path, level=level, created_on__lte=p.end
            )
            .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=p.end))
            .count()
        )
    return values


@pytest.fixture
def records(district, people):
    return build_records(district, people)


@pytest.fixture
def staff(people, client_for):
    return client_for(people.district_staff)


def board(client, unit, query=""):
    response = client.get(f"/dashboard/{unit.code}/{query}")
    assert response.status_code == 200
    return response


QUERIES = ["?period=last_year", "", "?period=month", "?period=quarter"]


def test_the_hand_built_figures_of_last_year(district, records, staff):
    """Numbers worked out by hand, so the independent counts are checked too."""
    response = board(staff, district.district, "?period=last_year")
    cards = {c.metric.key: c for c in response.context["cards"]}
    value = {key: card.value for key, card in cards.items()}
    assert value["disputes.received"] == 8
    assert value["disputes.resolved"] == 5
    assert value["disputes.resolution_rate"] == Decimal("75.0")
    assert value["disputes.settled_in_grid"] == Decimal("40.0")
    assert value["disputes.settled_in_street"] == Decimal("80.0")
    assert value["disputes.days_to_resolve"] == Decimal("15.2")
    assert value["petitions.received"] == 3
    assert value["petitions.year_on_year"] == Decimal("-25.0")
    assert value["studios.cases"] == 1
    assert value["legal.people"] == 42
    assert value["hazards.found"] == 2
    assert value["hazards.rectified"] == 1
    assert value["hazards.overdue"] == 1
    assert value["points.canteen"] == 1 and value["points.grid_station"] == 0
    assert (value["units.street"], value["units.community"]) == (3, 3)
    assert (value["units.village"], value["units.grid"]) == (1, 4)
    assert cards["petitions.received"].year_before == 4
    assert cards["disputes.received"].previous == 4
    assert cards["points.grid_station"].previous == 1
    aishan_cards = board(staff, district.aishan, "?period=last_year").context["cards"]
    aishan = {c.metric.key: c.value for c in aishan_cards}
    assert aishan["disputes.received"] == 4
    assert aishan["disputes.settled_in_grid"] == Decimal("66.7")
    assert aishan["disputes.settled_in_street"] == Decimal("100.0")
    assert aishan["disputes.days_to_resolve"] == Decimal("5.3")
    assert aishan["petitions.year_on_year"] == Decimal("0.0")
    direct = counted(district.district, report_period("last_year", today()).current)
    assert {key: value[key] for key in direct} == direct


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("which", ["district", "aishan", "wenyuan", "meiyuan", "meiyuan_grid"])
def test_the_cards_equal_evaluate_and_the_records(district, records, staff, query, which):
    unit = getattr(district, which)
    response = board(staff, unit, query)
    chosen = response.context["period"]
    shown = response.context["cards"]
    assert [c.metric.key for c in shown] == [m.key for m in metrics()]
    periods = {
        "value": chosen.current,
        "previous": chosen.previous,
        "year_before": chosen.year_before,
    }
    for attribute, p in periods.items():
        evaluated = evaluate(unit, p)
        direct = counted(unit, p)
        for card in shown:
            key = card.metric.key
            assert getattr(card, attribute) == evaluated[key], (attribute, key)
            if key in direct:
                assert getattr(card, attribute) == direct[key], (attribute, key, p)


def test_a_custom_period_over_three_years(district, records, staff):
    start = date(records.last_year - 1, 1, 1)
    response = board(staff, district.district, f"?period=custom&start={start}&end={today()}")
    chosen = response.context["period"]
    assert chosen.current == Period(start, today())
    direct = counted(district.district, chosen.current)
    values = {c.metric.key: c.value for c in response.context["cards"]}
    assert values["disputes.received"] == DisputeCase.objects.count() == 13
    assert {k: values[k] for k in direct} == direct


# The breakdown by child units


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("which", ["district", "aishan", "wenyuan", "honggou"])
def test_the_breakdown_equals_each_childs_own_figures(district, records, staff, query, which):
    unit = getattr(district, which)
    response = board(staff, unit, query)
    chosen = response.context["period"].current
    rows = response.context["rows"]
    children = list(AdministrativeUnit.objects.filter(parent=unit).order_by("code"))
    assert [child.pk for child, _values in rows] == [c.pk for c in children]
    keys = {m.key for m in metrics() if m.kind != "yoy"}
    for child, values in rows:
        assert set(values) == keys
        evaluated = evaluate(child, chosen)
        assert values == {key: evaluated[key] for key in keys}, child.name
        direct = counted(child, chosen)
        assert {k: values[k] for k in direct if k in keys} == {
            k: v for k, v in direct.items() if k in keys
        }, child.name


def test_the_district_breakdown_names_the_streets(district, records, staff):
    response = board(staff, district.district, "?period=last_year")
    received = {
        child.code: values["disputes.received"] for child, values in response.context["rows"]
    }
    assert received == {
        district.aishan.code: 4,
        district.wenyuan.code: 4,
        district.yanzhuang.code: 0,
    }
    html = response.content.decode()
    for street in ("艾山街道", "汶源街道", "颜庄街道"):
        assert street in html


def test_the_breakdown_sorts_by_a_figure(district, records, staff):
    response = board(staff, district.district, "?period=last_year&sort=-legal.people")
    assert [values["legal.people"] for _c, values in response.context["rows"]] == [30, 12, 0]
    response = board(staff, district.district, "?period=last_year&sort=legal.people")
    assert [values["legal.people"] for _c, values in response.context["rows"]] == [0, 12, 30]


def test_a_grid_has_no_breakdown(district, records, staff):
    assert board(staff, district.meiyuan_grid, "?period=last_year").context["rows"] == []


# Drill-through


def all_pages(client, unit, key, query):
    """Every page of a drill-through: (first response, number of rows listed, record links)."""
    url = f"/dashboard/{unit.code}/records/{key}/"
    first = client.get(url + query)
    assert first.status_code == 200
    response, count, seen = first, 0, []
    for _ in range(100):
        count += len(response.context["rows"])
        seen += [row[0] for row in response.context["rows"]]
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        response = client.get(f"{url}{query}&after={cursor}")
        assert response.status_code == 200
    return first, count, seen


DRILLED = [m.key for m in metrics() if m.kind in {"count", "stock"} and drill_for(m.key)]


def test_every_count_and_stock_can_be_drilled():
    assert {"disputes.received", "legal.people", "hazards.overdue", "units.grid"} <= set(DRILLED)
    assert all(drill_for(m.key) for m in metrics())


@pytest.mark.parametrize("query", ["?period=last_year", "?period=ytd"])
@pytest.mark.parametrize("which", ["district", "aishan", "honggou"])
def test_a_drill_through_lists_the_records_behind_the_figure(
    district, records, staff, query, which
):
    unit = getattr(district, which)
    cards = {c.metric.key: c for c in board(staff, unit, query).context["cards"]}
    for key in DRILLED:
        first, count, seen = all_pages(staff, unit, key, query)
        assert first.context["metric"].key == key
        assert first.context["total"] == cards[key].value, key
        if drill_for(key).total is None:  # a count, not a sum (legal.people, hours ...)
            assert not first.context["is_sum"]
            assert count == first.context["total"], key
            assert len(set(seen)) == len(seen), key


@pytest.mark.parametrize("which", ["district", "wenyuan"])
def test_the_drill_of_a_rate_lists_its_denominator(district, records, staff, which):
    unit = getattr(district, which)
    query = "?period=last_year"
    page = board(staff, unit, query)
    cards = {c.metric.key: c for c in page.context["cards"]}
    counts = {m.facts[0]: m.key for m in metrics() if m.kind == "count"}
    for m in metrics():
        if m.kind in {"rate", "mean"}:
            first, count, _seen = all_pages(staff, unit, m.key, query)
            if m.facts[1] in counts:
                denominator = cards[counts[m.facts[1]]].value
            else:  # a denominator no card counts (the 1 January roster): its tallies' sum
                alone = replace(m, key="denominator", kind="count", facts=(m.facts[1],))
                period = page.context["period"].current
                denominator = evaluate(unit, period, [alone])["denominator"]
            assert first.context["total"] == count == denominator, m.key


def test_the_drill_of_legal_service_totals_the_person_times(district, records, staff):
    for unit, query, expected in [
        (district.district, "?period=last_year", 42),
        (district.aishan, "?period=last_year", 30),
        (district.district, "?period=ytd", 5),
    ]:
        card = {c.metric.key: c for c in board(staff, unit, query).context["cards"]}["legal.people"]
        first, count, _seen = all_pages(staff, unit, "legal.people", query)
        assert first.context["is_sum"]
        assert first.context["total"] == card.value == expected
        reached = [row[3][0] for row in first.context["rows"]]
        assert sum(reached) == expected
        assert count == len(reached)


def test_a_drill_through_walks_every_page(district, people, staff):
    boss = people.district_staff
    ly = today().year - 1
    for n in range(57):
        grid = district.meiyuan_grid if n % 2 else district.honggou_grid
        log_case(boss, grid, received_on=date(ly, 1 + n % 12, 1 + n % 3))
    query = "?period=last_year"
    card = {c.metric.key: c for c in board(staff, district.district, query).context["cards"]}
    first, count, seen = all_pages(staff, district.district, "disputes.received", query)
    assert first.context["total"] == card["disputes.received"].value == count == 57
    assert len(set(seen)) == 57
    assert first.context["page"].next_cursor
    _first, count, _seen = all_pages(
        staff, district.district, "disputes.received", query + "&size=50"
    )
    assert count == 57


@pytest.mark.parametrize("key", ["nonsense", "disputes", "points.volunteer", "disputes.receivedx"])
def test_an_unknown_figure_is_not_found(district, people, staff, key):
    response = staff.get(f"/dashboard/{district.district.code}/records/{key}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "key",
    [
        "disputes.received",
        "disputes.resolved",
        "disputes.resolution_rate",
        "petitions.received",
        "studios.cases",
    ],
)
def test_a_drill_through_shows_no_personal_data(district, people, staff, key):
    boss = people.district_staff
    y = today()
    case = log_case(boss, district.meiyuan_grid, source="petition", received_on=y)
    resolve(case, boss, y)
    studio = MediationStudio.objects.create(
        unit=district.aishan, name="艾山调解室", address="a", hours="h", mediators="m"
    )
    MediationSession.objects.create(case=case, held_on=y, studio=studio, mediators="m", record="r")
    for unit in (district.district, district.meiyuan_grid):
        response = staff.get(f"/dashboard/{unit.code}/records/{key}/?period=ytd")
        assert response.status_code == 200
        assert response.context["total"] == 1
        html = response.content.decode()
        assert case.number in html
        for value in PARTY.values():
            if value != "applicant":
                assert value not in html


# The monthly trend


def month_periods(series, end: date) -> list[Period]:
    out = []
    for label in series["months"]:
        start = date.fromisoformat(f"{label}-01")
        last = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append(Period(start, min(last, end)))
    return out


def trend_of(unit, p: Period, keys) -> list:
    evaluated = evaluate(unit, p)
    return [None if evaluated[k] is None else float(evaluated[k]) for k in keys]


@pytest.mark.parametrize("query", ["?period=last_year", ""])
@pytest.mark.parametrize("which", ["district", "aishan", "honggou"])
def test_the_monthly_trend_equals_each_month_evaluated(district, records, staff, query, which):
    unit = getattr(district, which)
    context = board(staff, unit, query).context
    series = context["series"]
    end = context["period"].current.end
    keys = [m.key for m in metrics() if m.kind != "yoy"]
    assert len(series["months"]) == 12 and series["months"][-1] == f"{end:%Y-%m}"
    for n, p in enumerate(month_periods(series, end)):
        assert [series[k][n] for k in keys] == trend_of(unit, p, keys), p


def test_the_trend_year_on_year_of_an_unfinished_month_compares_the_same_days(
    district, people, staff
):
    boss = people.district_staff
    ly = today().year - 1
    log_case(boss, district.meiyuan_grid, source="petition", received_on=date(ly - 1, 6, 20))
    log_case(boss, district.meiyuan_grid, source="petition", received_on=date(ly, 6, 10))
    start, end = date(ly, 1, 1), date(ly, 6, 15)
    context = board(staff, district.district, f"?period=custom&start={start}&end={end}").context
    series = context["series"]
    assert series["months"][-1] == f"{end:%Y-%m}"
    june = Period(date(ly, 6, 1), end)
    assert evaluate(district.district, june)["petitions.year_on_year"] is None
    assert series["petitions.year_on_year"][-1] is None
