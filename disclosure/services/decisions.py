"""四议两公开: recording a decision's next step. The steps come in order and none is skipped; a
meeting without its quorum is refused (it must be held again); a vote that fails is recorded and
stops the decision; the two disclosure steps name a published post of the same village that
publishes this decision: of a category that discloses the step (STEP_POST_CATEGORIES), and not a
post (nor another edition of it) that already discloses another decision or this decision's
other step."""

from datetime import date

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.public_pages import public_changed
from disclosure.models import (
    Decision,
    DecisionStatus,
    DecisionStep,
    DisclosureCategory,
    DisclosurePost,
    PostStatus,
    StepKind,
)
from disclosure.models.decisions import DISCLOSURE_STEPS, STEP_ORDER, STEP_POST_CATEGORIES

__all__ = ["quorum_error", "step_post_error", "step_posts", "step_record"]


def _series_of(unit_id: int) -> dict[int, int]:
    """Each post of the village -> the first edition of its series (a correction is the same
    disclosure, told apart by its edition)."""
    corrects = dict(DisclosurePost.objects.filter(unit_id=unit_id).values_list("pk", "corrects_id"))
    roots = {}
    for pk in corrects:
        root = pk
        while corrects.get(root):
            root = corrects[root]
        roots[pk] = root
    return roots


def _taken(decision: Decision, kind: str, series: dict[int, int]) -> dict[int, DecisionStep]:
    """Series already disclosing a step -> that step, except the step being recorded."""
    steps = (
        DecisionStep.objects.filter(post__unit_id=decision.unit_id)
        .exclude(decision=decision, kind=kind)
        .select_related("decision")
    )
    return {series.get(s.post_id, s.post_id): s for s in steps}


def step_posts(decision: Decision, kind: str):
    """The published posts of the decision's village that may disclose its step `kind`, newest
    first: none for a meeting step."""
    categories = STEP_POST_CATEGORIES.get(kind)
    if not categories:
        return DisclosurePost.objects.none()
    series = _series_of(decision.unit_id)
    taken = _taken(decision, kind, series)
    return (
        DisclosurePost.objects.filter(
            unit_id=decision.unit_id, status=PostStatus.PUBLISHED, category__in=categories
        )
        .exclude(pk__in=[pk for pk, root in series.items() if root in taken])
        .order_by("-published_on", "-id")
    )


def step_post_error(decision: Decision, kind: str, post: DisclosurePost) -> str | None:
    """Why `post` cannot disclose the decision's step `kind`, or None."""
    if post.unit_id != decision.unit_id or not post.is_published:
        return _("Choose a published post of this village.")
    categories = STEP_POST_CATEGORIES[kind]
    if post.category not in categories:
        return _(
            "A “%(category)s” post does not disclose this step; choose a post of: %(allowed)s."
        ) % {
            "category": post.get_category_display(),
            "allowed": "、".join(str(DisclosureCategory(c).label) for c in categories),
        }
    series = _series_of(decision.unit_id)
    step = _taken(decision, kind, series).get(series.get(post.pk, post.pk))
    if step is None:
        return None
    if step.decision_id == decision.pk:
        return _("This post already discloses “%(step)s”; this step needs a post of its own.") % {
            "step": step.get_kind_display()
        }
    return _("This post already discloses the decision “%(decision)s”.") % {
        "decision": step.decision.title
    }


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
            if error := step_post_error(current, kind, post):
                raise ValidationError({"post": error})
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
