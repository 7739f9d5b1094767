"""The board's cards are written in Python (consultation/views/board.py): each is the card
project_board.html writes, to the byte, for every stage and form a card can have."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from consultation.models import LivelihoodProject, MeetingKind
from consultation.services.consultation import project_move
from consultation.views import consultation as views
from tests.consultation.helpers import deliver, make_demand, make_meeting, make_project

pytestmark = pytest.mark.django_db
BOARD = "consultation/project_board.html#board"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _render(context, request) -> str:
    return TOKEN.sub("csrf", render_to_string(BOARD, context, request=request))


def _board(people, district):
    worker = people.meiyuan_worker
    unit = district.meiyuan
    proposed = make_project(worker, unit, [make_demand(worker, unit)], days_ago=9)
    proposed.title = '<b>"加装" & 电梯</b>'
    proposed.save()
    make_meeting(worker, unit, MeetingKind.DELIBERATION, days_ago=3)
    agreed = make_project(worker, unit, [make_demand(worker, unit)], days_ago=10)
    meeting = make_meeting(worker, unit, MeetingKind.DELIBERATION, days_ago=7)
    project_move(
        by=worker, project=agreed, to_stage="agreed", meeting=meeting, version=agreed.version
    )
    make_meeting(worker, unit, MeetingKind.PROMOTION, days_ago=2)
    deliver(worker, make_project(worker, unit, [make_demand(worker, unit)], days_ago=12))
    request = RequestFactory().get("/projects/")
    request.user = worker
    return request


def _template_card(request, html):
    pk = int(re.search(r'id="project-(\d+)"', html).group(1))
    project = LivelihoodProject.objects.select_related("unit", "category").get(pk=pk)
    target = project.next_stage()
    form = views._move_form(request, project, target) if "<form" in html else None
    return {"project": project, "target": target, "form": form}


def test_a_card_written_in_python_is_the_templates_card(people, district):
    request = _board(people, district)
    context = views._board_context(request)
    cards = [card for column in context["columns"] for card in column["cards"]]
    assert len(cards) == 3 and all("html" in card for card in cards)
    python = _render(context, request)

    for column in context["columns"]:
        column["cards"] = [_template_card(request, card["html"]) for card in column["cards"]]
    assert python == _render(context, request)
    assert "&lt;b&gt;&quot;加装&quot; &amp; 电梯&lt;/b&gt;" in python
    assert "<option value=" in python and python.count("<form") == 2
