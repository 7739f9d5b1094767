"""The project board's cards written in Python: through the template each card's move form cost
two `{% include %}`s and a form of six deep-copied fields, a third of a second for the board.
The HTML is project_board.html's card to the byte (tests/consultation/test_board_cards.py holds
the two equal); a card whose form came back with errors is left to the template."""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from consultation.forms import ProjectMoveForm
from consultation.models import Meeting, ProjectStage
from core.exports import choice_labels

FIELD = '<div class="field">\n  <label for="{id}">{label}</label>\n  {widget}\n  \n  \n</div>\n'


class CardWriter:
    """Words, links and the token found once per board, then one card at a time."""

    def __init__(self, request, meetings: dict[int, list]):
        self.meetings = meetings
        self.kinds = choice_labels(Meeting, "kind")
        self.stages = {value: str(label) for value, label in ProjectStage.choices}
        self.project_url = reverse("governance:project_detail", kwargs={"pk": 0})
        self.move_url = reverse("governance:project_move", kwargs={"pk": 0})
        self.board_url = reverse("governance:project_board")
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.today = timezone.localdate().isoformat()
        self.words = {
            "move_on": _("Move on"),
            "meeting": _("At the meeting"),
            "date": _("Date"),
            "beneficiaries": _("Beneficiaries"),
            "empty": str(ProjectMoveForm.base_fields["meeting"].empty_label),
        }

    def _link(self, template: str, pk: int) -> str:
        return template.replace("/0/", f"/{pk}/")

    def card(self, project, target) -> SafeString:
        meta = [conditional_escape(project.unit.name), conditional_escape(project.category.name)]
        if project.delivered_on:
            meta.append(project.delivered_on.isoformat())
        move = self._move(project, target) if target else ""
        return mark_safe(  # noqa: S308 -- every part is escaped or our own markup
            f'<li class="project-card" id="project-{project.pk}">\n'
            f'        <a href="{self._link(self.project_url, project.pk)}">'
            f"<strong>{conditional_escape(project.title)}</strong></a>\n"
            f'        <p class="meta">{" · ".join(meta)}</p>\n'
            f"        {move}\n      </li>"
        )

    def _move(self, project, target: str) -> str:
        prefix = f"move{project.pk}_{target}_"
        action = self._link(self.move_url, project.pk)
        if target == ProjectStage.DELIVERED:
            fields = (
                FIELD.format(
                    id=f"{prefix}on",
                    label=conditional_escape(self.words["date"]),
                    widget=f'<input type="date" name="on" value="{self.today}" id="{prefix}on">',
                )
                + FIELD.format(
                    id=f"{prefix}beneficiaries",
                    label=conditional_escape(self.words["beneficiaries"]),
                    widget='<input type="number" name="beneficiaries" min="0" max="10000000" '
                    f'id="{prefix}beneficiaries">',
                )
                + "\n              "
            )
        else:
            fields = FIELD.format(
                id=f"{prefix}meeting",
                label=conditional_escape(self.words["meeting"]),
                widget=self._meeting_select(project, f"{prefix}meeting"),
            )
        label = _("Move to “%(label)s”") % {"label": conditional_escape(self.stages[target])}
        return (
            '\n        <details class="move">\n'
            f"          <summary>{conditional_escape(self.words['move_on'])}</summary>\n"
            f'          <form method="post" action="{action}" novalidate\n'
            f'                hx-post="{action}" hx-target="#board" hx-swap="outerHTML">\n'
            f"            {self.csrf}\n"
            '            <input type="hidden" name="from" value="board">\n'
            f'            <input type="hidden" name="next" value="{self.board_url}">\n'
            "            \n"
            f'              <input type="hidden" name="version" value="{project.version}" '
            f'id="{prefix}version"><input type="hidden" name="to_stage" value="{target}" '
            f'id="{prefix}to_stage">\n'
            "              \n"
            f"              {fields}\n"
            "            \n"
            f'            <button type="submit" class="button primary">{label}</button>\n'
            "          </form>\n"
            "        </details>\n        "
        )

    def _meeting_select(self, project, id_: str) -> str:
        options = [f'<select name="meeting" id="{id_}">']
        options.append(
            f'\n  <option value="" selected>{conditional_escape(self.words["empty"])}</option>\n'
        )
        for m in self.meetings.get(project.pk, []):
            label = f"{m.held_on} {self.kinds.get(m.kind, m.kind)} · {m.unit.name}"
            options.append(f'\n  <option value="{m.pk}">{conditional_escape(label)}</option>\n')
        options.append("\n</select>")
        return "".join(options)
