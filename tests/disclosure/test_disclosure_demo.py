"""柳桥峪村's demo: 10 construction observers, 13 items rectified this year, satisfaction of 95%
or more, completed 四议两公开 decisions with all six steps, fund tables that add up, and
《新柳桥》 as a channel; each figure equals an independent SQL count over the records, and
loading twice adds nothing."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.metrics import Period, evaluate
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import AdministrativeUnit
from disclosure.demo import load_disclosure
from disclosure.models import DisclosurePost

pytestmark = pytest.mark.django_db


def sql(query: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def test_the_demo_reproduces_liuqiaoyus_figures(demo, client):
    said, _seconds = demo.loaded["disclosure"]
    assert said
    demo = AdministrativeUnit.objects.get(name="柳桥峪村")
    today = timezone.localdate()
    year = Period(today.replace(month=1, day=1), today)
    figures = evaluate(demo, year)

    observers = sql(
        "SELECT count(*) FROM governance_supervisionmember WHERE unit_id = %s "
        "AND kind = 'observer' AND since <= %s AND (until IS NULL OR until > %s)",
        [demo.pk, today, today],
    )
    rectified = sql(
        "SELECT count(*) FROM governance_finding WHERE unit_id = %s "
        "AND signed_off_on BETWEEN %s AND %s",
        [demo.pk, year.start, today],
    )
    answers, satisfied = (
        sql(
            "SELECT count(*) FILTER (WHERE TRUE), "
            "count(*) FILTER (WHERE rating IN ('very', 'satisfied')) "
            "FROM governance_surveyanswer WHERE unit_id = %s AND answered_on BETWEEN %s AND %s",
            [demo.pk, year.start, today],
        ),
        sql(
            "SELECT count(*) FROM governance_surveyanswer WHERE unit_id = %s "
            "AND answered_on BETWEEN %s AND %s AND rating IN ('very', 'satisfied')",
            [demo.pk, year.start, today],
        ),
    )
    completed = sql(
        "SELECT count(*) FROM governance_decision d WHERE d.unit_id = %s AND d.status = 'completed' "
        "AND (SELECT count(*) FROM governance_decisionstep s WHERE s.decision_id = d.id "
        "AND s.passed) = 6",
        [demo.pk],
    )
    assert observers == 10 and figures["supervision.observers"] == observers
    assert rectified == 13 and figures["findings.rectified"] == rectified
    assert float(figures["survey.satisfaction"]) == pytest.approx(
        100 * satisfied / answers, abs=0.05
    )
    assert figures["survey.satisfaction"] >= 95
    assert completed >= 3

    # Every published post's totals equal its lines, to the fen.
    mismatched = sql(
        "SELECT count(*) FROM governance_disclosurepost p WHERE p.declared_income_fen IS NOT NULL "
        "AND p.declared_income_fen <> (SELECT coalesce(sum(amount_fen), 0) FROM "
        "governance_fundline l WHERE l.post_id = p.id AND l.direction = 'income')",
        [],
    )
    assert mismatched == 0
    paper = sql(
        "SELECT count(*) FROM governance_postchannel c JOIN governance_disclosurepost p "
        "ON p.id = c.post_id WHERE p.unit_id = %s AND c.channel = 'paper' "
        "AND c.reference LIKE %s",
        [demo.pk, "%新柳桥%"],
    )
    assert paper > 0
    published = sql(
        "SELECT count(*) FROM governance_disclosurepost WHERE unit_id = %s "
        "AND status = 'published' AND published_on BETWEEN %s AND %s",
        [demo.pk, year.start, today],
    )
    assert figures["disclosure.published"] == published
    street = evaluate(demo.parent, year)
    assert street["disclosure.overdue"] > 0 and figures["disclosure.overdue"] == 0

    # The tallies equal a recomputation from the records.
    assert recomputed_facts() == stored_facts()

    # The public page shows them.
    page = client.get(reverse("public:village", args=[demo.code])).content.decode()
    assert "村居建设观察员10名" in page
    assert "13项" in page
    post = DisclosurePost.objects.filter(unit=demo, channels__channel="paper").first()
    assert "《新柳桥》" in client.get(post.get_public_url()).content.decode()

    # Loading again adds nothing.
    assert load_disclosure() == ""
