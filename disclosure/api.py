"""Village disclosure in the open-data API (/api/v1/units/{code}/…): published posts with their
fund lines and editions, 四议两公开 decisions and their steps, rectified items, survey results.
What the public village pages show and nothing more: free text passes through `redact`, no
person is named (a finding's assignee, a member of the committee)."""

from datetime import date

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from core.api import PAGE_SIZE, page_of
from core.models import AdministrativeUnit, UnitLevel
from core.redaction import redact
from disclosure.models import (
    Decision,
    DecisionStep,
    DisclosurePost,
    Finding,
    FundLine,
    PostChannel,
    PostStatus,
    Survey,
)
from disclosure.models.surveys import SATISFIED_RATINGS, Rating, SurveyAnswer

__all__ = ["router"]

router = Router(tags=["Village disclosure"])


class Paging(Schema):
    page: int = 1
    page_size: int = PAGE_SIZE


class FundLineOut(Schema):
    direction: str
    line: str
    amount: str
    note: str


class ChannelOut(Schema):
    channel: str
    date: date
    reference: str


class PostOut(Schema):
    id: int
    edition: int
    corrects: int | None
    corrected_by: int | None
    correction_reason: str
    category: str
    title: str
    period_start: date
    period_end: date
    published_on: date | None
    text: str
    total_income: str | None
    total_expense: str | None
    fund_lines: list[FundLineOut]
    channels: list[ChannelOut]
    url: str


class PostPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PostOut]


class StepOut(Schema):
    number: int
    kind: str
    label: str
    held_on: date
    passed: bool
    expected: int | None
    present: int | None
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    post: int | None


class DecisionOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    completed_on: date | None
    steps: list[StepOut]


class DecisionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DecisionOut]


class RectifiedOut(Schema):
    id: int
    title: str
    found_on: date
    deadline: date
    response: str
    signed_off_on: date


class RectifiedPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RectifiedOut]


class RatingCount(Schema):
    rating: str
    label: str
    answers: int


class SurveyOut(Schema):
    id: int
    title: str
    question: str
    opens_on: date
    closes_on: date
    answers: int
    satisfied: int
    satisfaction_percent: float | None
    ratings: list[RatingCount]


class SurveyPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[SurveyOut]


def _village(code: str) -> AdministrativeUnit:
    return get_object_or_404(
        AdministrativeUnit.objects.active().filter(
            level__in=[UnitLevel.VILLAGE, UnitLevel.COMMUNITY]
        ),
        code=code,
    )


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else f"{fen / 100:.2f}"


def _post(post: DisclosurePost, code: str, corrected_by: dict[int, int]) -> dict:
    from django.urls import reverse

    return {
        "id": post.pk,
        "edition": post.edition,
        "corrects": post.corrects_id,
        "corrected_by": corrected_by.get(post.pk),
        "correction_reason": redact(post.correction_reason),
        "category": post.category,
        "title": redact(post.title),
        "period_start": post.period_start,
        "period_end": post.period_end,
        "published_on": post.published_on,
        "text": redact(post.body),
        "total_income": _yuan(post.declared_income_fen),
        "total_expense": _yuan(post.declared_expense_fen),
        "fund_lines": [
            {
                "direction": line.direction,
                "line": redact(line.item),
                "amount": _yuan(line.amount_fen),
                "note": redact(line.note),
            }
            for line in post.fund_lines.all()
        ],
        "channels": [
            {"channel": c.channel, "date": c.published_on, "reference": redact(c.reference)}
            for c in post.channels.all()
        ],
        "url": reverse("public:post", kwargs={"code": code, "pk": post.pk}),
    }


def _page(rows: list, total: int, paging: Paging) -> dict:
    return {"count": total, "page": paging.page, "page_size": paging.page_size, "items": rows}


def _checked(paging: Paging) -> Paging:
    from django.utils.translation import gettext as _
    from ninja.errors import HttpError

    from core.api import MAX_PAGE_SIZE

    if paging.page < 1 or not 1 <= paging.page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, _("page starts at 1; page_size is 1 to %d.") % MAX_PAGE_SIZE)
    return paging


@router.get("/units/{code}/posts", response=PostPage, summary="A village's disclosure posts")
def posts(request, code: str, paging: Query[Paging]):
    """Published posts, newest first, each with its fund lines (in yuan), the channels it went
    out on and its place among the editions (`corrects`, `corrected_by`)."""
    paging = _checked(paging)
    village = _village(code)
    published = (
        DisclosurePost.objects.filter(unit=village, status=PostStatus.PUBLISHED)
        .prefetch_related(
            Prefetch("fund_lines", FundLine.objects.order_by("order", "id")),
            Prefetch("channels", PostChannel.objects.order_by("published_on", "id")),
        )
        .order_by("-published_on", "-id")
    )
    rows, total = page_of(published, paging.page, paging.page_size)
    # The next edition of each, when published: one query for the page, not a join over all.
    corrected_by = dict(
        DisclosurePost.objects.filter(
            corrects__in=[post.pk for post in rows], status=PostStatus.PUBLISHED
        ).values_list("corrects", "pk")
    )
    return _page([_post(post, village.code, corrected_by) for post in rows], total, paging)


@router.get("/units/{code}/decisions", response=DecisionPage, summary="四议两公开 decisions")
def decisions(request, code: str, paging: Query[Paging]):
    paging = _checked(paging)
    village = _village(code)
    chosen = (
        Decision.objects.filter(unit=village)
        .prefetch_related(Prefetch("steps", DecisionStep.objects.order_by("number")))
        .order_by("-id")
    )
    rows, total = page_of(chosen, paging.page, paging.page_size)
    items = [
        {
            "id": d.pk,
            "title": redact(d.title),
            "summary": redact(d.summary),
            "status": d.status,
            "completed_on": d.completed_on,
            "steps": [
                {
                    "number": s.number,
                    "kind": s.kind,
                    "label": s.get_kind_display(),
                    "held_on": s.held_on,
                    "passed": s.passed,
                    "expected": s.expected,
                    "present": s.present,
                    "votes_for": s.votes_for,
                    "votes_against": s.votes_against,
                    "abstentions": s.abstentions,
                    "post": s.post_id,
                }
                for s in d.steps.all()
            ],
        }
        for d in rows
    ]
    return _page(items, total, paging)


@router.get("/units/{code}/rectified", response=RectifiedPage, summary="Rectified items")
def rectified(request, code: str, paging: Query[Paging]):
    """What the supervision committee found and the village put right (整改), signed off."""
    paging = _checked(paging)
    village = _village(code)
    done = (
        Finding.objects.filter(unit=village)
        .rectified()
        .only("pk", "title", "found_on", "deadline", "response", "signed_off_on")
        .order_by("-signed_off_on", "-id")
    )
    rows, total = page_of(done, paging.page, paging.page_size)
    items = [
        {
            "id": f.pk,
            "title": redact(f.title),
            "found_on": f.found_on,
            "deadline": f.deadline,
            "response": redact(f.response),
            "signed_off_on": f.signed_off_on,
        }
        for f in rows
    ]
    return _page(items, total, paging)


@router.get("/units/{code}/surveys", response=SurveyPage, summary="Satisfaction surveys")
def surveys(request, code: str, paging: Query[Paging]):
    """Each survey's answers by rating; satisfaction = (非常满意 + 满意) ÷ all valid answers."""
    paging = _checked(paging)
    village = _village(code)
    chosen = Survey.objects.filter(unit=village).order_by("-opens_on", "-id")
    rows, total = page_of(chosen, paging.page, paging.page_size)
    counts: dict[int, dict[str, int]] = {}
    for survey_id, rating, n in (
        SurveyAnswer.objects.filter(survey__in=[s.pk for s in rows])
        .values_list("survey", "rating")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(survey_id, {})[rating] = n
    items = []
    for survey in rows:
        by_rating = counts.get(survey.pk, {})
        answers = sum(by_rating.values())
        satisfied = sum(by_rating.get(r, 0) for r in SATISFIED_RATINGS)
        items.append(
            {
                "id": survey.pk,
                "title": redact(survey.title),
                "question": redact(survey.question),
                "opens_on": survey.opens_on,
                "closes_on": survey.closes_on,
                "answers": answers,
                "satisfied": satisfied,
                "satisfaction_percent": round(100 * satisfied / answers, 1) if answers else None,
                "ratings": [
                    {"rating": value, "label": str(label), "answers": by_rating.get(value, 0)}
                    for value, label in Rating.choices
                ],
            }
        )
    return _page(items, total, paging)
