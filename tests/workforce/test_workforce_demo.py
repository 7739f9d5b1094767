"""The demo workforce: 500+ training 人次 between March and July, a finished competition, the
roster of the demo district, each figure equal to an independent SQL count over the records."""

from calendar import monthrange
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from core.metrics import Period, evaluate, metric
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import AdministrativeUnit
from dashboards.figures import monthly_series
from workforce.demo import UNCOVERED_GRIDS, load_workforce, training_window
from workforce.models import Competition, Worker

pytestmark = pytest.mark.django_db

KEYS = [
    "training.person_times",
    "training.trained_share",
    "workforce.grids_uncovered",
    "competition.entrants",
]


def sql(query: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def test_the_demo_workforce_gives_the_articles_figures(demo, client_for):
    assert demo.loaded["workforce"][0]
    assert load_workforce() == ""  # loading twice adds nothing
    district = AdministrativeUnit.objects.get(code="370117000000")
    year = training_window(timezone.localdate())
    spring = Period(date(year, 3, 1), date(year, 7, 31))
    figures = evaluate(district, spring, [metric(k) for k in KEYS])

    person_times = sql(
        "SELECT count(*) FROM governance_attendance a "
        "JOIN governance_trainingsession s ON s.id = a.session_id "
        "JOIN governance_worker w ON w.id = a.worker_id "
        "JOIN governance_administrativeunit u ON u.id = w.unit_id "
        "WHERE a.attended AND u.path LIKE %s AND s.held_on BETWEEN %s AND %s",
        [district.path + "%", spring.start, spring.end],
    )
    assert figures["training.person_times"] == person_times >= 500

    uncovered = sql(
        "SELECT count(*) FROM governance_administrativeunit g "
        "WHERE g.level = 'grid' AND g.retired_on IS NULL AND g.path LIKE %s AND NOT EXISTS ("
        " SELECT 1 FROM governance_gridassignment a "
        " JOIN governance_worker w ON w.id = a.worker_id "
        " JOIN governance_workerposition p ON p.id = w.position_id "
        " WHERE a.grid_id = g.id AND p.is_grid AND w.status IN ('active', 'leave'))",
        [district.path + "%"],
    )
    assert figures["workforce.grids_uncovered"] == uncovered == len(UNCOVERED_GRIDS)

    entrants = sql(
        "SELECT count(*) FROM governance_entrant e "
        "JOIN governance_competition c ON c.id = e.competition_id "
        "WHERE c.held_on BETWEEN %s AND %s",
        [spring.start, spring.end],
    )
    assert figures["competition.entrants"] == entrants > 0

    # The share of workers trained in the training year, from 1 January to its end.
    whole_year = Period(date(year, 1, 1), date(year, 12, 31))
    share = evaluate(district, whole_year, [metric("training.trained_share")])
    trained = sql(
        "SELECT count(DISTINCT a.worker_id) FROM governance_attendance a "
        "JOIN governance_trainingsession s ON s.id = a.session_id "
        "WHERE a.attended AND s.held_on BETWEEN %s AND %s",
        [whole_year.start, whole_year.end],
    )
    roster = sql(
        "SELECT count(*) FROM governance_worker WHERE extract(year FROM joined_on) <= %s "
        "AND (left_on IS NULL OR extract(year FROM left_on) >= %s)",
        [year, year],
    )
    assert float(share["training.trained_share"]) == pytest.approx(100 * trained / roster, abs=0.05)

    # Workers on the roster: a stock, in a monthly series its value at each month's end.
    months = monthly_series(district, date(year, 12, 31), 12, [metric("workforce.roster")])
    for month, shown in zip(months["months"], months["workforce.roster"], strict=True):
        first = date.fromisoformat(f"{month}-01")
        end = date(first.year, first.month, monthrange(first.year, first.month)[1])
        on_roster = sql(
            "SELECT count(*) FROM governance_worker WHERE joined_on <= %s "
            "AND (left_on IS NULL OR left_on > %s)",
            [end, end],
        )
        assert shown == on_roster > 0, month

    # A finished competition: published, ranked, awarded, with a tie shown as a shared rank.
    competition = Competition.objects.get()
    assert competition.is_published
    ranks = list(competition.entrants.values_list("rank", "tied", "award"))
    assert all(rank and award for rank, _, award in ranks)
    assert any(tied for _, tied, _ in ranks)
    assert sorted(r for r, _, _ in ranks)[0] == 1

    # The roster covers every community and village of the demo district.
    locals_ = AdministrativeUnit.objects.filter(level__in=["community", "village"]).count()
    assert Worker.objects.values("unit").distinct().count() == locals_
    assert recomputed_facts() == stored_facts()

    # 梅苑社区's third grid has no worker: its community and street say so.
    from core.models import User

    client = client_for(User.objects.get(username="district"))
    for code in ("370117003010", "370117003000"):
        page = client.get(f"/units/{code}/").content.decode()
        assert "梅苑社区第三网格" in page.split('id="grid-workers"')[1]
