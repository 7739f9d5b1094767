"""The grouped menu, as each demo account sees it: at most seven groups, each holding only
entries the account may open (every link answers 200 for it), the same groups on a desktop's row
and in a phone's 菜单, and the entry of the page open marked aria-current."""

import lxml.html
import pytest
from django.test import Client

from core.demo.district import DEMO_ACCOUNTS
from core.groups import Group
from core.models import User

pytestmark = pytest.mark.django_db

GROUP_LABELS = {
    "disputes": "矛盾纠纷化解",
    "grid": "网格治理",
    "consultation": "协商议事",
    "village_affairs": "村务公开",
    "workforce": "队伍建设",
    "volunteering": "志愿服务",
    "administration": "系统管理",
}


def c(name: str) -> str:
    """An XPath test that an element has the class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def menu_of(html: str) -> tuple[dict[str, int], dict[str, list[tuple[str, str, bool]]]]:
    """({group key: links in the desktop row's group}, {group title: [(label, href, current)]}
    of the phone's 菜单), read from the page's one nav.menu. A group of the row is a plain link
    when it holds one entry, a drop-down (<details>) otherwise."""
    navs = lxml.html.fromstring(html).xpath(f"//nav[{c('menu')}]")
    assert len(navs) == 1
    row = {}
    for li in navs[0].xpath(f".//*[{c('menu-bar')}]/li[{c('menu-group')}]"):
        dropdown = li.xpath(f"details[{c('menu-dropdown')}]/summary")
        links = li.xpath(".//a")
        assert bool(dropdown) == (len(links) > 1), li.get("data-group")
        row[li.get("data-group")] = len(links)
    sections = {}
    for section in navs[0].xpath(f".//*[{c('menu-drawer')}]//*[{c('menu-section')}]"):
        title = section.xpath(f".//*[{c('menu-section-title')}]")[0].text_content().strip()
        sections[title] = [
            (a.text_content().strip(), a.get("href"), a.get("aria-current") == "page")
            for a in section.xpath(".//a")
        ]
    return row, sections


@pytest.mark.parametrize("username", [account.username for account in DEMO_ACCOUNTS])
def test_each_role_sees_at_most_seven_groups_of_entries_it_may_open(demo_district, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    page = client.get("/units/", follow=True)
    assert page.status_code == 200
    row, sections = menu_of(page.content.decode())
    assert 1 <= len(row) <= 7, row
    assert list(row) == [key for key in Group.values if key in row], "groups out of order"
    assert list(sections) == [GROUP_LABELS[key] for key in row], "row and 菜单 differ"
    assert [len(entries) for entries in sections.values()] == list(row.values())
    for title, entries in sections.items():
        assert entries, f"{username}: group {title} shown without an entry"
        for label, href, _current in entries:
            answer = client.get(href, follow=True)
            assert answer.status_code == 200, (username, title, label, href)


def test_the_open_pages_entry_and_group_are_marked(demo_district):
    client = Client()
    client.force_login(User.objects.get(username="district"))
    html = client.get("/units/").content.decode()
    _row, sections = menu_of(html)
    current = [
        (title, label) for title, entries in sections.items() for label, _h, now in entries if now
    ]
    assert current == [("网格治理", "单位树")]
    summary = lxml.html.fromstring(html).xpath(f"//*[{c('menu-bar')}]//summary[{c('current')}]")
    assert [s.text_content().strip() for s in summary] == ["网格治理"]
    # A page below an entry's address (a unit's own page) marks that entry.
    html = client.get("/cases/").content.decode()
    _row, sections = menu_of(html)
    assert [label for label, _h, now in sections["矛盾纠纷化解"] if now] == ["矛盾纠纷"]
