"""The layout: Chinese first with an English switch, large type remembered, a strict CSP,
and every asset served by the portal itself."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_english_is_one_click_away_and_remembered(district, people, client_for):
    client = client_for(people.aishan_official)
    page = f"/units/{district.aishan.code}/"
    assert "下级单位" in client.get(page).content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response["Location"] == page
    assert "Units below" in client.get(page).content.decode()


def test_large_type_is_remembered(client, district):
    response = client.post("/prefs/large-font/", {"next": "/"})
    assert response["Location"] == "/"
    assert 'class="large-font"' in client.get("/").content.decode()
    client.post("/prefs/large-font/", {"next": "/"})
    assert 'class="large-font"' not in client.get("/").content.decode()


def test_large_type_will_not_redirect_elsewhere(client):
    assert client.post("/prefs/large-font/", {"next": "https://example.com/"})["Location"] == "/"


def test_the_csp_forbids_inline_code(district, people, client_for):
    response = client_for(people.district_staff).get(f"/units/{district.district.code}/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script found"
    assert " style=" not in html and "hx-on" not in html


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_every_asset_comes_from_the_portal(client, district, path):
    html = client.get(path).content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url


def test_static_assets_are_served(client):
    assert client.get("/static/css/portal.css").status_code == 200
    assert client.get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_every_block_of_the_stylesheet_closes_so_screen_rules_stay_on_screen():
    """An @media print block left open swallows every rule after it: the browser forgives the
    missing brace and the pages lose their styles on screen only."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    depth, top_level = 0, set()
    for token in re.finditer(r"[{}]|[^{}]+", css):
        text = token.group()
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            assert depth >= 0, "a closing brace without its block"
        elif depth == 0:
            top_level.update(s.strip() for s in text.split(","))
    assert depth == 0, "a block of portal.css is never closed"
    for selector in (".plain-list", ".counter-volunteer", ".bad-rows caption", ".board"):
        assert selector in top_level, f"{selector} is not a screen rule"


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, district):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "工作人员登录" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Staff login" in client.get("/").content.decode()


def test_the_timeline_names_values_instead_of_raw_keys(district, people, client_for):
    client = client_for(people.district_staff)
    client.post(
        f"/units/{district.meiyuan.code}/move/",
        {"version": 1, "new_parent": district.wenyuan.pk, "reason": "区划调整"},
    )
    html = client.get(f"/units/{district.meiyuan.code}/").content.decode()
    assert "艾山街道</del> → <ins>汶源街道" in html and "区划调整" in html
