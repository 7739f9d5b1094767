"""四议两公开: recording a decision's next step. The steps come in order and none is skipped; a
meeting without its quorum is refused (it must be held again); a vote that fails is recorded and
stops the decision; the two disclosure steps name a published post of the same village."""

from datetime import date

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.public_pages import public_changed
from disclosure.models import Decision, DecisionStatus, DecisionStep, DisclosurePost, StepKind
from disclosure.models.decisions import DISCLOSURE_STEPS, STEP_ORDER

__all__ = ["quorum_error", "step_record"]


def quorum_error(kind: str, expected: int, present: int, representatives: bool) -> str | None:
    """Why the meeting could not decide, or None when it was quorate.

    Party members' meeting: at least two thirds of the members present. Villagers' meeting: more
    than half of the villagers entitled to attend; representatives' meeting: at least two thirds
    of the representatives (村民委员会组织法 arts. 22 and 26). Branch and two-committee meetings:
    more than half of their members."""
    if present > expected:
        return _("More people present than are entitled to attend.")
    if kind == StepKind.PARTY_MEETING or (kind == StepKind.VILLAGERS and representatives):
        if present * 3 < expected * 2:
            return _("At least two thirds must be present: %(need)s of %(of)s.") % {
                "need": -(-expected * 2 // 3),
                "of": expected,
            }
    elif present * 2 <= expected:
        return _("More than half must be present: %(need)s of %(of)s.") % {
            "need": expected // 2 + 1,
            "of": expected,
        }
    return None


def step_record(*, decision: Decision, by, data: dict) -> DecisionStep:
    """Record the decision's next step from cleaned form data: kind, held_on, expected, present,
    votes_for, votes_against, abstentions, representatives, post, notes."""
    with transaction.atomic(), pghistory.context(user=by.pk, reason="decision_step"):
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        if current.status != DecisionStatus.IN_PROGRESS:
            raise ValidationError(_("This decision is no longer in progress."))
        steps = list(current.steps.order_by("number"))
        kind = data["kind"]
        expected_kind = STEP_ORDER[len(steps)]
        if kind != expected_kind:
            raise ValidationError(
                {
                    "kind": _("Steps go in order, none skipped: the next step is “%(step)s”.")
                    % {"step": StepKind(expected_kind).label}
                }
            )
        held_on: date = data["held_on"]
        if steps and held_on < steps[-1].held_on:
            raise ValidationError(
                {"held_on": _("A step cannot come before the previous one (%(day)s).")
                 % {"day": steps[-1].held_on.isoformat()}}
            )  # fmt: skip
        step = DecisionStep(
            decision=current,
            kind=kind,
            number=len(steps) + 1,
            held_on=held_on,
            notes=data.get("notes", ""),
        )
        if kind in DISCLOSURE_STEPS:
            post: DisclosurePost | None = data.get("post")
            if post is None:
                raise ValidationError({"post": _("Link the disclosure post of this step.")})
            if post.unit_id != current.unit_id or not post.is_published:
                raise ValidationError({"post": _("Choose a published post of this village.")})
            if post.published_on and post.published_on < steps[-1].held_on:
                raise ValidationError(
                    {"post": _("The post was published before the previous step.")}
                )
            step.post = post
            step.passed = True
        else:
            fields = ["expected", "present", "votes_for", "votes_against", "abstentions"]
            missing = {f: _("Required for a meeting.") for f in fields if data.get(f) is None}
            if missing:
                raise ValidationError(missing)
            expected, present = data["expected"], data["present"]
            votes = data["votes_for"] + data["votes_against"] + data["abstentions"]
            representatives = bool(data.get("representatives"))
            if expected < 1:
                raise ValidationError({"expected": _("At least one person is entitled.")})
            if error := quorum_error(kind, expected, present, representatives):
                raise ValidationError({"present": error})
            if votes > present:
                raise ValidationError(
                    {"votes_for": _("More votes than people present (%(n)s).") % {"n": present}}
                )
            step.expected, step.present = expected, present
            step.votes_for = data["votes_for"]
            step.votes_against = data["votes_against"]
            step.abstentions = data["abstentions"]
            step.representatives = representatives if kind == StepKind.VILLAGERS else False
            # A majority of those present must vote in favour.
            step.passed = step.votes_for * 2 > present
        step.save()
        if not step.passed:
            current.status = DecisionStatus.STOPPED
        elif step.number == len(STEP_ORDER):
            current.status = DecisionStatus.COMPLETED
            current.completed_on = held_on
        current.version += 1
        current.save()
        public_changed()
    return step
