"""The livelihood-project board: htmx moves a card in place on a desktop; without JavaScript the
same form moves it with a page load on a phone. Plus axe on the consultation pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from consultation.models import LivelihoodProject, MeetingKind
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.browser.test_accessibility import assert_accessible
from tests.consultation.helpers import make_demand, make_meeting, make_project

pytestmark = pytest.mark.browser


def proposed_project(site):
    worker = site.people.meiyuan_worker
    demand = make_demand(worker, site.units.meiyuan, days_ago=12)
    project = make_project(worker, site.units.meiyuan, [demand], days_ago=8)
    meeting = make_meeting(worker, site.units.meiyuan, MeetingKind.DELIBERATION, days_ago=2)
    return project, meeting


def column(page: Page, title: str):
    return page.locator("section.board-column", has=page.get_by_role("heading", name=title))


def move_card(page: Page, project, meeting) -> None:
    card = page.locator(f"#project-{project.pk}")
    card.locator("summary").click()
    card.get_by_label("议定会议").select_option(str(meeting.pk))
    card.get_by_role("button", name="推进到“已议定”").click()


def test_htmx_moves_a_card_in_place_on_a_desktop(new_context, site):
    project, meeting = proposed_project(site)
    page = new_context("desktop").new_page()
    log_in(page, "meiyuan")
    page.goto("/projects/")
    expect(column(page, "已提议")).to_contain_text(project.title)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    with page.expect_response(re.compile(r"/projects/\d+/move/$")) as answer:
        move_card(page, project, meeting)
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(column(page, "已议定")).to_contain_text(project.title)
    expect(column(page, "已提议")).not_to_contain_text(project.title)
    assert navigations == []  # the board was swapped in place
    project.refresh_from_db()
    assert project.stage == "agreed" and project.agreed_at == meeting
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / "test_consultation_board-htmx-desktop.png"), full_page=True
    )


def test_without_javascript_the_form_moves_the_card_on_a_phone(new_context, site):
    project, meeting = proposed_project(site)
    page = new_context("phone", java_script_enabled=False).new_page()
    log_in(page, "meiyuan")
    page.goto("/projects/")
    with page.expect_navigation():
        move_card(page, project, meeting)
    expect(page).to_have_url(re.compile(r"/projects/$"))
    expect(column(page, "已议定")).to_contain_text(project.title)
    assert LivelihoodProject.objects.get().stage == "agreed"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / "test_consultation_board-nojs-phone.png"), full_page=True
    )


def test_consultation_pages_are_accessible(new_context, viewport, site):
    project, _meeting = proposed_project(site)
    page = new_context(viewport).new_page()
    for url in ("/public/demands/new/", "/public/demands/track/"):
        page.goto(url)
        assert_accessible(page)
    demand = project.demands.get()
    page.goto(f"/public/demands/track/{demand.tracking_code}/")
    assert_accessible(page)
    log_in(page, "meiyuan")
    for url in ("/demands/", "/meetings/new/", "/projects/", project.get_absolute_url()):
        page.goto(url)
        assert_accessible(page)
