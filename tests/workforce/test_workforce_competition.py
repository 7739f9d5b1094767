"""The skills competition: weighted totals, ranking with open ties, judges' blindness, bad
scores refused, publication and awards."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import person
from tests.workforce.helpers import add_worker
from workforce.models import Competition, Entrant, RoundJudge, Score
from workforce.services import (
    competition_create,
    competition_publish,
    rank_totals,
    scores_enter,
    standings,
)

pytestmark = pytest.mark.django_db

D = Decimal


def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped():
    assert rank_totals([D("90"), D("85.5"), D("85.5"), D("80")]) == [
        (1, False),
        (2, True),
        (2, True),
        (4, False),
    ]
    # Compared as shown, to two decimals.
    assert rank_totals([D("85.501"), D("85.499")]) == [(1, True), (1, True)]
    assert rank_totals([D("70"), D("70"), D("70")]) == [(1, True)] * 3
    assert rank_totals([]) == []


@pytest.fixture
def contest(district, people):
    by = people.district_staff
    competition = competition_create(
        by=by,
        unit=district.district,
        name="首届社区工作者职业能力大赛",
        held_on=district.district.created_on.replace(year=2026, month=7, day=30),
        first_prizes=1,
        second_prizes=1,
        third_prizes=1,
    )
    rounds = {r.kind: r for r in competition.rounds.all()}
    judges = {
        "written": person("written_judge", district.district, "competition_judge"),
        "interview": person("interview_judge", district.district, "competition_judge"),
        "interview2": person("interview_judge2", district.district, "competition_judge"),
        "case": person("case_judge", district.district, "competition_judge"),
    }
    for key, user in judges.items():
        RoundJudge.objects.create(round=rounds[key.rstrip("2")], judge=user)
    workers = [
        add_worker(by, district.meiyuan, name="甲", grids=[district.meiyuan_grid]),
        add_worker(by, district.meiyuan, name="乙", grids=[district.meiyuan_grid2]),
        add_worker(by, district.honggou, name="丙", grids=[district.honggou_grid]),
        add_worker(by, district.meiyuan, name="丁", position_name="社区书记"),
    ]
    entrants = []
    for n, worker in enumerate(workers, start=1):
        entrant = Entrant(competition=competition, worker=worker, number=n)
        entrant.save()
        entrants.append(entrant)
    return competition, rounds, judges, entrants


def score_all(contest, table):
    """table: {round key: [score per entrant]} (interview gets both judges' scores)."""
    competition, rounds, judges, entrants = contest
    for key, values in table.items():
        round_ = rounds[key.rstrip("2")]
        scores_enter(
            by=judges[key],
            round_=round_,
            values={e.pk: D(v) for e, v in zip(entrants, values, strict=True)},
            versions={},
        )


SCORES = {
    # 甲 and 乙 end level: 0.4×80 + 0.3×90 + 0.3×70 = 80 = 0.4×95 + 0.3×(75+85)/2 + 0.3×60
    "written": ["80", "95", "60", "50"],
    "interview": ["90", "75", "70", "60"],
    "interview2": ["90", "85", "70", "60"],
    "case": ["70", "60", "95", "100"],
}


def test_totals_weight_each_rounds_mean_and_ties_show_as_shared_ranks(contest):
    competition, rounds, judges, entrants = contest
    score_all(contest, SCORES)
    table = {s.entrant.worker.name: s for s in standings(competition)}
    assert table["甲"].total == table["乙"].total == D("80.00")
    assert table["乙"].round_means[rounds["interview"].pk] == D("80.00")
    assert table["丙"].total == D("73.50")  # 24 + 21 + 28.5
    assert table["丁"].total == D("68.00")  # 20 + 18 + 30
    assert (table["甲"].rank, table["甲"].tied) == (1, True)
    assert (table["乙"].rank, table["乙"].tied) == (1, True)
    assert (table["丙"].rank, table["丙"].tied) == (3, False)

    competition_publish(
        by=competition.created_by, competition=competition, version=competition.version
    )
    awards = {e.worker.name: (e.rank, e.tied, e.award) for e in competition.entrants.all()}
    # A shared first place shares the first prize; the third place gets the third prize.
    assert awards == {
        "甲": (1, True, "first"),
        "乙": (1, True, "first"),
        "丙": (3, False, "third"),
        "丁": (4, False, "merit"),
    }


def test_a_round_with_another_range_is_scaled_before_weighting(contest):
    competition, rounds, judges, entrants = contest
    written = rounds["written"]
    written.max_score = D("10")
    written.save()
    scores_enter(by=judges["written"], round_=written, values={entrants[0].pk: D("8")}, versions={})
    table = {s.entrant.pk: s for s in standings(competition)}
    assert table[entrants[0].pk].total == D("32.00")  # 8 of 10 is 0.8 × 40


def test_a_judge_sees_only_their_own_scores_until_publication(contest, client_for):
    competition, rounds, judges, entrants = contest
    score_all(contest, SCORES)
    client = client_for(judges["interview"])
    own = client.get(f"/competitions/{competition.pk}/rounds/{rounds['interview'].pk}/scores/")
    assert own.status_code == 200
    values = {str(f.value()) for f in own.context["form"] if f.name.startswith("score_")}
    assert values == {"90.00", "75.00", "70.00", "60.00"}  # not the second judge's 85
    page = own.content.decode()
    assert "85.00" not in page
    # The other rounds' pages are closed to them, and the results are not out.
    other = client.get(f"/competitions/{competition.pk}/rounds/{rounds['case'].pk}/scores/")
    assert other.status_code == 403
    assert client.get(f"/competitions/{competition.pk}/results/").status_code == 404
    # The organisers see how many scores are in, not what they are.
    manager_page = client_for(competition.created_by).get(competition.get_absolute_url())
    html = manager_page.content.decode()
    assert "8 / 8" in html and "4 / 4" in html
    assert "75.00" not in html and "85.00" not in html
    assert (
        client_for(competition.created_by)
        .get(f"/competitions/{competition.pk}/results/")
        .status_code
        == 404
    )

    competition_publish(
        by=competition.created_by, competition=competition, version=competition.version
    )
    results = client.get(f"/competitions/{competition.pk}/results/").content.decode()
    assert "85.00" in results and "75.00" in results
    assert "并列" in results or "tied" in results


def entrant_list(client, competition) -> str:
    html = client.get(competition.get_absolute_url()).content.decode()
    return re.search(r'<ol class="entrant-list">(.*?)</ol>', html, re.S).group(1)


def test_a_judge_sees_entrants_by_number_until_the_results_are_published(contest, client_for):
    competition, rounds, judges, entrants = contest
    judge = client_for(judges["written"])
    blind = entrant_list(judge, competition)
    assert all(f"{n:03d}" in blind for n in range(1, 5))
    assert not any(name in blind for name in "甲乙丙丁")
    assert "梅苑社区" not in blind and "洪沟社区" not in blind
    # The organisers know who is who.
    organisers = entrant_list(client_for(competition.created_by), competition)
    assert "甲" in organisers and "梅苑社区" in organisers
    score_all(contest, SCORES)
    competition_publish(
        by=competition.created_by, competition=competition, version=competition.version
    )
    published = entrant_list(judge, competition)
    assert "001" in published and "甲" in published and "梅苑社区" in published


def test_a_judge_cannot_score_another_round(contest, client_for):
    competition, rounds, judges, entrants = contest
    client = client_for(judges["written"])
    url = f"/competitions/{competition.pk}/rounds/{rounds['case'].pk}/scores/"
    response = client.post(url, {f"score_{entrants[0].pk}": "90"})
    assert response.status_code == 403
    assert not Score.objects.exists()
    with pytest.raises(PermissionDenied):
        scores_enter(
            by=judges["written"],
            round_=rounds["case"],
            values={entrants[0].pk: D("90")},
            versions={},
        )
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", ["100.5", "-1", "abc", "1e9"])
def test_a_score_outside_the_rounds_range_is_refused(contest, client_for, value):
    competition, rounds, judges, entrants = contest
    client = client_for(judges["written"])
    url = f"/competitions/{competition.pk}/rounds/{rounds['written'].pk}/scores/"
    response = client.post(url, {f"score_{entrants[0].pk}": value, f"score_{entrants[1].pk}": "88"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"score_{entrants[0].pk}"]
    assert not Score.objects.exists()  # nothing changed, not even the good score


def test_a_judge_saves_and_corrects_scores_and_a_stale_tab_is_caught(contest, client_for):
    competition, rounds, judges, entrants = contest
    client = client_for(judges["written"])
    url = f"/competitions/{competition.pk}/rounds/{rounds['written'].pk}/scores/"
    assert client.post(url, {f"score_{entrants[0].pk}": "88"}).status_code == 302
    score = Score.objects.get()
    assert score.value == D("88")
    # A second tab opened before the first save still believes there is no score.
    stale = client.post(url, {f"score_{entrants[0].pk}": "70"})
    assert stale.status_code == 409
    assert Score.objects.get().value == D("88")
    fresh = client.post(
        url, {f"score_{entrants[0].pk}": "89", f"v_{entrants[0].pk}": score.version}
    )
    assert fresh.status_code == 302 and Score.objects.get().value == D("89")


def test_results_are_published_only_when_every_score_is_in_and_then_freeze(contest, client_for):
    competition, rounds, judges, entrants = contest
    manager = client_for(competition.created_by)
    url = f"/competitions/{competition.pk}/publish/"
    manager.post(url, {"version": competition.version})
    competition.refresh_from_db()
    assert not competition.is_published
    score_all(contest, SCORES)
    response = manager.post(url, {"version": competition.version})
    assert response.status_code == 302
    competition.refresh_from_db()
    assert competition.is_published
    # Scores freeze: neither the page nor the service accepts a change.
    client = client_for(judges["written"])
    score_url = f"/competitions/{competition.pk}/rounds/{rounds['written'].pk}/scores/"
    client.post(score_url, {f"score_{entrants[0].pk}": "10"})
    assert Score.objects.get(judge=judges["written"], entrant=entrants[0]).value == D("80")
    # Everyone who may see the competition sees the results; another district's people do not.
    results = client_for(competition.created_by).get(f"/competitions/{competition.pk}/results/")
    assert results.status_code == 200
    assert (
        client_for(judges["case"]).get(f"/competitions/{competition.pk}/results/").status_code
        == 200
    )


def test_only_the_district_sets_up_a_competition(contest, people, client_for):
    competition, rounds, judges, entrants = contest
    assert client_for(people.aishan_official).get("/competitions/new/").status_code == 404
    response = client_for(judges["written"]).post(
        f"/competitions/{competition.pk}/rounds/",
        {f"weight_{r.pk}": "50" for r in rounds.values()},
    )
    assert response.status_code == 404
    assert client_for(people.outsider).get(competition.get_absolute_url()).status_code == 404


def test_weights_must_add_up_to_100(contest, client_for):
    competition, rounds, judges, entrants = contest
    client = client_for(competition.created_by)
    data = {}
    for r, weight in zip(rounds.values(), ["50", "30", "30"], strict=True):
        data.update(
            {
                f"weight_{r.pk}": weight,
                f"min_{r.pk}": "0",
                f"max_{r.pk}": "100",
                f"version_{r.pk}": r.version,
            }
        )
    response = client.post(f"/competitions/{competition.pk}/rounds/", data)
    assert response.status_code == 400
    assert sorted(competition.rounds.values_list("weight", flat=True)) == [D(30), D(30), D(40)]
    data[f"weight_{rounds['written'].pk}"] = "40"
    data[f"max_{rounds['case'].pk}"] = "10"
    assert client.post(f"/competitions/{competition.pk}/rounds/", data).status_code == 302
    assert competition.rounds.get(kind="case").max_score == D(10)


def test_entrants_count_as_competition_entrants(contest, district):
    from core.metrics import Period, evaluate, metric

    competition = contest[0]
    period = Period(competition.held_on.replace(month=1, day=1), competition.held_on)
    value = evaluate(district.district, period, [metric("competition.entrants")])
    assert value["competition.entrants"] == 4
    assert Competition.objects.count() == 1


def test_the_public_results_page_masks_names_and_waits_for_publication(contest, client):
    competition, rounds, judges, entrants = contest
    url = f"/public/competitions/{competition.pk}/"
    assert client.get(url).status_code == 404
    score_all(contest, SCORES)
    competition_publish(
        by=competition.created_by, competition=competition, version=competition.version
    )
    page = client.get(url).content.decode()
    assert "甲*" in page and "乙*" in page
    assert ">甲<" not in page and " 甲<" not in page
    assert "85.00" not in page  # no judge's score
    assert "13812345678" not in page and "138****5678" not in page
    assert "并列" in page or "tied" in page
