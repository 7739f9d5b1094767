"""The landing page is each role's work (待办): its big buttons, what waits, every link on it
answering 200 for that role, in a bounded number of queries; and the links that used to answer
404 to the roles that saw them render as text."""

import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User

pytestmark = pytest.mark.django_db

# demo account: (section heading, big buttons, queue headings)
LANDINGS = {
    "district": ("区委社会工作部", [], ["逾期事项最多", "矛盾化解率最低"]),
    "aishan": (
        "街道干部",
        [],
        ["上交到街道的案件", "街道受理待办的案件", "超过30天未办结的案件", "逾期未整改的隐患"],
    ),
    "meiyuan": ("社区工作者", ["上报安全隐患", "登记矛盾纠纷", "登记诉求"], ["待答复的诉求"]),
    "meiyuan_grid": ("网格员", ["上报安全隐患", "登记矛盾纠纷", "登记诉求"], ["待答复的诉求"]),
    "liuqiaoyu_clerk": ("村务公开文书", ["起草公开文稿"], ["逾期未公开", "本月到期"]),
    "liuqiaoyu_supervisor": ("村务监督委员会委员", [], ["待审核的公开文稿", "待销号的监督问题"]),
    "liuqiaoyu_observer": ("村居建设观察员", ["登记监督问题"], ["未整改的监督问题"]),
    "hongou_volunteers": ("志愿服务队队长", ["登记志愿服务活动"], ["即将开展的活动", "待记录时长"]),
    "judge": ("职业能力大赛评委", [], ["待评分的轮次"]),
    "yongxing_points": ("积分超市工作人员", ["柜台：永兴社区积分超市"], ["最近兑换"]),
}


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _links(html: str) -> set[str]:
    return {unquote(href).replace("&amp;", "&") for href in re.findall(r'href="([^"#]+)', html)}


@pytest.mark.parametrize("username", sorted(LANDINGS))
def test_each_role_lands_on_its_work_and_every_link_opens(demo_district, username):
    heading, buttons, queues = LANDINGS[username]
    client = _client(username)
    response = client.get("/home/")
    assert response.status_code == 200
    main = _main(response.content.decode())
    assert "我的待办" in main
    assert heading in main
    for label in buttons:
        assert re.search(rf'class="button primary big"[^>]*>{re.escape(label)}', main), label
    for label in queues:
        assert label in main, label
    for link in sorted(_links(main)):
        assert client.get(link).status_code == 200, f"{username}: {link}"


def test_root_after_login_is_the_work_and_before_it_the_public_home(demo_district):
    assert "我的待办" not in Client().get("/").content.decode()
    assert "我的待办" in _client("meiyuan_grid").get("/").content.decode()


def test_the_street_officials_landing_takes_a_bounded_number_of_queries(demo_district):
    client = _client("aishan")
    client.get("/home/")  # warm what is cached per process (translations, registries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/home/").status_code == 200
    assert len(queries) <= 30, [q["sql"][:120] for q in queries]


def test_the_clerks_draft_now_opens_the_form_with_item_and_period(demo_district):
    from disclosure.models import DisclosureDue

    client = _client("liuqiaoyu_clerk")
    due = DisclosureDue.objects.filter(unit__name="柳桥峪村").select_related("item").first()
    page = client.get(f"{reverse('governance:post_create')}?due={due.pk}").content.decode()
    assert f'value="{due.period_start:%Y-%m-%d}"' in page
    assert f'value="{due.period_end:%Y-%m-%d}"' in page
    assert f'<option value="{due.item.pk}" selected>' in page


def _no_dead(client: Client, html: str, prefix: str) -> None:
    dead = [link for link in _links(html) if link.startswith(prefix)]
    dead = [link for link in dead if client.get(link).status_code != 200]
    assert not dead, dead


def test_a_grid_workers_demand_page_links_no_project_or_meeting_they_cannot_open(demo_district):
    from consultation.models import Demand

    client = _client("meiyuan_grid")
    user = User.objects.get(username="meiyuan_grid")
    demands = Demand.objects.for_user(user).filter(project__isnull=False)
    demand = demands.select_related("project").first()
    assert demand is not None, "the demo gives the grid's community a demand taken up as a project"
    page = client.get(demand.get_absolute_url()).content.decode()
    assert demand.project.title in page
    _no_dead(client, page, "/projects/")
    met = Demand.objects.for_user(user).filter(agenda_items__isnull=False).first()
    assert met is not None, "the demo raises one of the community's demands at a meeting"
    _no_dead(client, client.get(met.get_absolute_url()).content.decode(), "/meetings/")


def test_training_drill_through_links_no_session_the_user_cannot_open(demo_district):
    from core.models import AdministrativeUnit

    client = _client("meiyuan")
    unit = AdministrativeUnit.objects.get(name="梅苑社区")
    url = reverse(
        "governance:dashboard_records", kwargs={"code": unit.code, "key": "training.person_times"}
    )
    page = client.get(f"{url}?period=year").content.decode()
    assert "<td" in page, "the community's workers attended trainings this year"
    _no_dead(client, page, "/training/sessions/")


def test_a_judge_sees_contestants_names_without_links_to_workers_pages(demo_district):
    from workforce.models import Competition

    client = _client("judge")
    competition = Competition.objects.order_by("pk").first()
    page = client.get(competition.get_absolute_url()).content.decode()
    assert competition.entrants.first().worker.name in page
    _no_dead(client, page, "/workers/")
