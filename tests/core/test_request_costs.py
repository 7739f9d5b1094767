"""What every staff page costs before its own work: the session read (not written), the user,
and the user's memberships read once for both the scope and the menu."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def statements(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("url", ["/home/", "/cases/", "/units/"])
def test_a_page_reads_the_memberships_once_and_writes_no_session(people, client_for, url):
    client = client_for(people.aishan_official)
    client.get(url)  # the first request after logging in may renew the session
    sql = statements(client, url)
    assert sum('FROM "governance_membership"' in s for s in sql) == 1
    assert not [s for s in sql if s.startswith(("UPDATE", "INSERT", "DELETE"))]


def test_the_menu_answers_for_each_user_and_language(people, client_for):
    aishan = client_for(people.aishan_official).get("/cases/").content.decode()
    grid = client_for(people.grid_worker).get("/cases/").content.decode()
    assert aishan.count('class="menu"') == grid.count('class="menu"') == 1
    assert 'href="/accounts/manage/"' in aishan and 'href="/accounts/manage/"' not in grid
    english = client_for(people.aishan_official)
    english.cookies["django_language"] = "en"
    assert "Main menu" in english.get("/cases/").content.decode()
    assert "Main menu" not in aishan
