"""The consultation demo: 艾山街道 delivers 280+ livelihood projects this year, each through the
whole chain; 汶源街道's platforms take up elevator retrofits and property certificates; every
figure equals an independent SQL count over the records; loading twice adds nothing."""

import pytest
from django.db import connection
from django.utils import timezone

from consultation.demo import load_consultation
from consultation.models import Demand, LivelihoodProject, Meeting
from core.metrics import Period, evaluate
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def sql(query: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


IN_UNIT = "JOIN governance_administrativeunit u ON u.id = x.unit_id WHERE u.path LIKE %s"


def test_the_demo_loads_fast_and_once(demo):
    said, seconds = demo.loaded["consultation"]
    assert "livelihood projects" in said
    assert seconds < 60
    counts = (LivelihoodProject.objects.count(), Demand.objects.count(), Meeting.objects.count())
    assert load_consultation() == ""
    assert counts == (
        LivelihoodProject.objects.count(),
        Demand.objects.count(),
        Meeting.objects.count(),
    )


def test_aishan_delivers_280_plus_projects_this_year_through_the_whole_chain(demo):
    today = timezone.localdate()
    year = Period(today.replace(month=1, day=1), today)
    aishan = AdministrativeUnit.objects.get(name="艾山街道")
    figures = evaluate(aishan, year)
    path = aishan.path + "%"
    delivered = sql(
        f"SELECT count(*) FROM governance_livelihoodproject x {IN_UNIT} "  # noqa: S608
        "AND x.stage = 'delivered' AND x.delivered_on BETWEEN %s AND %s",
        [path, year.start, year.end],
    )
    assert figures["consultation.projects_delivered"] == delivered >= 280
    # Each went demand → 民情分析会 → 阳光议事会 → 协商推进会 → delivered, in that order.
    whole_chain = sql(
        f"""
        SELECT count(*) FROM governance_livelihoodproject x {IN_UNIT}
          AND x.stage = 'delivered' AND x.delivered_on BETWEEN %s AND %s
          AND EXISTS (SELECT 1 FROM governance_demand d WHERE d.project_id = x.id
                      AND d.received_on <= x.proposed_on)
          AND (SELECT string_agg(m.to_stage || ':' || coalesce(g.kind, '-'), ',' ORDER BY m.on, m.id)
               FROM governance_stagemove m LEFT JOIN governance_meeting g ON g.id = m.meeting_id
               WHERE m.project_id = x.id)
              = 'proposed:analysis,agreed:deliberation,under_way:promotion,delivered:-'
        """,  # noqa: S608
        [path, year.start, year.end],
    )
    assert whole_chain == delivered

    received = sql(
        f"SELECT count(*) FROM governance_demand x {IN_UNIT} "  # noqa: S608
        "AND x.received_on BETWEEN %s AND %s",
        [path, year.start, year.end],
    )
    answered = sql(
        f"SELECT count(*) FROM governance_demand x {IN_UNIT} "  # noqa: S608
        "AND x.answered_on BETWEEN %s AND %s",
        [path, year.start, year.end],
    )
    assert figures["consultation.demands_received"] == received
    assert figures["consultation.demands_answered"] == answered
    for kind in ("analysis", "deliberation", "promotion"):
        held = sql(
            f"SELECT count(*) FROM governance_meeting x {IN_UNIT} "  # noqa: S608
            "AND x.kind = %s AND x.held_on BETWEEN %s AND %s",
            [path, kind, year.start, year.end],
        )
        assert figures[f"consultation.meetings.{kind}"] == held > 0
    median = sql(
        f"""SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.delivered_on - x.first_demand_on)
        FROM governance_livelihoodproject x {IN_UNIT}
        AND x.stage = 'delivered' AND x.first_demand_on IS NOT NULL
        AND x.delivered_on BETWEEN %s AND %s""",  # noqa: S608
        [path, year.start, year.end],
    )
    assert float(figures["consultation.days_to_delivery"]) == pytest.approx(median, abs=0.05)
    satisfied, rated = (
        sql(
            f"SELECT count(*) FROM governance_projectrating x {IN_UNIT} "  # noqa: S608
            f"AND x.rated_on BETWEEN %s AND %s{extra}",
            [path, year.start, year.end],
        )
        for extra in (" AND x.score >= 4", "")
    )
    assert float(figures["consultation.satisfaction"]) == pytest.approx(
        100 * satisfied / rated, abs=0.05
    )
    assert figures["consultation.satisfaction"] >= 90


def test_wenyuan_platforms_solve_elevators_and_property_certificates(demo):
    today = timezone.localdate()
    wenyuan = AdministrativeUnit.objects.get(name="汶源街道")
    path = wenyuan.path + "%"
    for category in ("电梯加装", "房产证办理"):
        for platform in ("社区半月谈", "12345商量最靠谱"):
            solved = sql(
                f"""SELECT count(DISTINCT x.id) FROM governance_livelihoodproject x {IN_UNIT}
                AND x.stage = 'delivered' AND x.delivered_on >= %s
                AND x.category_id = (SELECT id FROM governance_projectcategory WHERE name = %s)
                AND EXISTS (SELECT 1 FROM governance_stagemove m
                    JOIN governance_meeting g ON g.id = m.meeting_id
                    JOIN governance_platform p ON p.id = g.platform_id
                    WHERE m.project_id = x.id AND p.name = %s)""",  # noqa: S608
                [path, today.replace(month=1, day=1), category, platform],
            )
            assert solved > 0, (category, platform)
    hotline = sql(
        f"SELECT count(*) FROM governance_demand x {IN_UNIT} "  # noqa: S608
        "AND x.source = '12345' AND x.ticket_number IS NOT NULL",
        [path],
    )
    assert hotline > 0


def test_demo_tallies_equal_a_recomputation(demo):
    assert recomputed_facts() == stored_facts()
