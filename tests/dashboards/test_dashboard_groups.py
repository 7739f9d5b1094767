"""The dashboard in groups: the headline figures first, then one folded section a group of the
portal's work, every registered metric shown as a card exactly once; figures written with
thousands separators and rates with their %."""

from decimal import Decimal

import lxml.html
import pytest

from core.groups import Group
from core.metrics import metric, metrics
from core.metrics.shown import figure_text
from tests.dashboards.test_dashboard_figures import build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(district, people, client_for):
    build_records(district, people)
    return client_for(people.district_staff)


def c(name: str) -> str:
    """An XPath test that an element has the class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def card_keys(element) -> list[str]:
    """The metric keys of the cards inside an element, read from their links to the records."""
    return [
        a.get("href").split("/records/")[1].split("/")[0]
        for a in element.xpath(f".//article[{c('figure-card')}]//*[{c('figure-value')}]/a")
    ]


def test_the_headline_figures_come_before_the_groups_and_every_metric_once(district, staff):
    html = staff.get(f"/dashboard/{district.district.code}/").content.decode()
    page = lxml.html.fromstring(html)
    headline = page.xpath(f"//section[{c('headline')}]")[0]
    sections = page.xpath(f"//details[{c('board-group')}]")
    # The headline section comes first, with six to eight figures.
    assert html.index('class="headline"') < html.index('class="card board-group"')
    headline_keys = card_keys(headline)
    assert 6 <= len(headline_keys) <= 8
    assert sorted(headline_keys) == sorted(m.key for m in metrics() if m.headline)
    order = [Group.values.index(metric(key).group) for key in headline_keys]
    assert order == sorted(order), "headline figures out of their groups' order"
    # Then the groups, in their order, folded, each holding its own metrics.
    assert [s.get("data-group") for s in sections] == [
        g for g in Group.values if any(m.group == g for m in metrics())
    ]
    shown = list(headline_keys)
    for section in sections:
        assert section.get("open") is None
        keys = card_keys(section)
        assert all(metric(key).group == section.get("data-group") for key in keys)
        shown += keys
    assert sorted(shown) == sorted(m.key for m in metrics()), "a metric missing or twice"


def test_sorting_by_a_groups_column_opens_that_group(district, staff):
    html = staff.get(f"/dashboard/{district.district.code}/?sort=-legal.people").content.decode()
    opened = lxml.html.fromstring(html).xpath(f"//details[{c('board-group')}][@open]")
    assert [s.get("data-group") for s in opened] == [Group.DISPUTES]


def test_figures_carry_thousands_separators_and_rates_their_percent():
    rate = metric("disputes.resolution_rate")
    assert figure_text(65400) == "65,400"
    assert figure_text(Decimal("40691.5")) == "40,691.5"
    assert figure_text(1234567.0) == "1,234,567"
    assert figure_text(Decimal("96.3"), rate) == "96.3%"
    assert figure_text(Decimal("-8.2"), metric("petitions.year_on_year")) == "-8.2%"
    assert figure_text(None, rate) == "—"
    assert figure_text(12, metric("disputes.received")) == "12"


def test_the_tables_write_rates_with_percent(district, staff):
    html = staff.get(f"/dashboard/{district.district.code}/?period=last_year").content.decode()
    page = lxml.html.fromstring(html)
    table = page.xpath(f"//table[{c('breakdown')}]")[0]
    heads = [th.text_content().strip() for th in table.xpath("thead//th")]
    column = heads.index("矛盾化解率")
    cells = [row.xpath("th|td")[column].text_content().strip() for row in table.xpath("tbody/tr")]
    assert cells and all(c == "—" or c.endswith("%") for c in cells), cells
    assert any(c.endswith("%") for c in cells)
