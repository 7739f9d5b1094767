"""The disclosure workflow: the clerk drafts and submits; the supervision committee returns it
with comments or approves it, which publishes it; a published post is corrected only by a new
edition. Each step runs in one transaction and tells pghistory who did it and why."""

from collections import defaultdict
from datetime import date, timedelta

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models.tallies import apply_fact_changes
from core.public_pages import public_changed
from disclosure.models import (
    Cadence,
    DisclosureDue,
    DisclosureItem,
    DisclosurePost,
    FundLine,
    PostChannel,
    PostPhoto,
    PostReview,
    PostStatus,
)
from disclosure.models.disclosure import GRACE_DAYS, period_for

__all__ = [
    "check_fund_totals",
    "dues_ensure",
    "post_correct",
    "post_review",
    "post_submit",
]


def check_fund_totals(
    declared_income_fen: int | None, declared_expense_fen: int | None, lines: list[dict]
) -> None:
    """The totals printed on a notice must equal the sum of its lines, to the fen."""
    sums = {FundLine.INCOME: 0, FundLine.EXPENSE: 0}
    for line in lines:
        sums[line["direction"]] += line["amount_fen"]
    errors = {}
    for direction, declared, field in [
        (FundLine.INCOME, declared_income_fen, "declared_income"),
        (FundLine.EXPENSE, declared_expense_fen, "declared_expense"),
    ]:
        if declared is None and sums[direction]:
            errors[field] = _("Give the total: the lines add up to %(sum)s yuan.") % {
                "sum": f"{sums[direction] / 100:.2f}"
            }
        elif declared is not None and declared != sums[direction]:
            errors[field] = _(
                "The total (%(declared)s yuan) does not equal the sum of the lines (%(sum)s yuan)."
            ) % {"declared": f"{declared / 100:.2f}", "sum": f"{sums[direction] / 100:.2f}"}
    if errors:
        raise ValidationError(errors)


def post_submit(*, post: DisclosurePost, by) -> DisclosurePost:
    """A draft (or a returned post) goes to the supervision committee. A page opened before
    someone else changed the post is stale: StaleVersion."""
    with transaction.atomic(), pghistory.context(user=by.pk, reason="disclosure_submit"):
        current = DisclosurePost.lock_at_version(post.pk, post.version)
        if current.status not in {PostStatus.DRAFT, PostStatus.RETURNED}:
            raise ValidationError(_("Only a draft or a returned post can be submitted for review."))
        lines = list(current.fund_lines.values("direction", "amount_fen"))
        check_fund_totals(current.declared_income_fen, current.declared_expense_fen, lines)
        current.status = PostStatus.IN_REVIEW
        current.save()
    return current


def post_review(*, post: DisclosurePost, by, decision: str, comment: str = "") -> DisclosurePost:
    """Return with comments, or approve: approval publishes the post today. A review of a page
    opened before someone else reviewed (or edited) the post is stale: StaleVersion."""
    if decision == PostReview.RETURNED and not comment.strip():
        raise ValidationError({"comment": _("Say what must change before it can be published.")})
    if post.created_by_id == by.pk:
        raise ValidationError(_("The person who drafted a post cannot review it."))
    today = timezone.localdate()
    with transaction.atomic(), pghistory.context(user=by.pk, reason=f"disclosure_{decision}"):
        current = DisclosurePost.lock_at_version(post.pk, post.version)
        if current.status != PostStatus.IN_REVIEW:
            raise ValidationError(_("This post is not awaiting review."))
        PostReview.objects.create(post=current, decision=decision, comment=comment, by=by)
        if decision == PostReview.APPROVED:
            current.status = PostStatus.PUBLISHED
            current.published_on = today
        else:
            current.status = PostStatus.RETURNED
        current.save()
        if current.is_published:
            _fulfil_dues(current)
            public_changed()
    return current


def post_correct(*, post: DisclosurePost, by, reason: str) -> DisclosurePost:
    """A new draft edition of a published post, carrying its lines, channels and photos; the
    published edition stays as it is."""
    if not post.is_published:
        raise ValidationError(_("Only a published post is corrected; a draft is simply edited."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say publicly why the post is corrected.")})
    if DisclosurePost.objects.filter(corrects=post).exists():
        raise ValidationError(_("This edition has already been corrected; correct the newest."))
    with transaction.atomic(), pghistory.context(user=by.pk, reason="disclosure_correct"):
        fresh = DisclosurePost.objects.create(
            unit=post.unit,
            item=post.item,
            category=post.category,
            title=post.title,
            period_start=post.period_start,
            period_end=post.period_end,
            body=post.body,
            declared_income_fen=post.declared_income_fen,
            declared_expense_fen=post.declared_expense_fen,
            edition=post.edition + 1,
            corrects=post,
            correction_reason=reason.strip(),
            created_by=by,
        )
        FundLine.objects.bulk_create(
            FundLine(
                post=fresh,
                direction=line.direction,
                item=line.item,
                amount_fen=line.amount_fen,
                note=line.note,
                order=line.order,
            )
            for line in post.fund_lines.all()
        )
        PostChannel.objects.bulk_create(
            PostChannel(
                post=fresh, channel=c.channel, published_on=c.published_on, reference=c.reference
            )
            for c in post.channels.all()
        )
        PostPhoto.objects.bulk_create(
            PostPhoto(post=fresh, image=p.image.name, thumbnail=p.thumbnail.name, caption=p.caption)
            for p in post.photos.all()
        )
    return fresh


def _fulfil_dues(post: DisclosurePost) -> None:
    if post.item_id is None:
        return
    for due in DisclosureDue.objects.filter(
        item_id=post.item_id,
        fulfilled_on__isnull=True,
        period_start__gte=post.period_start,
        period_end__lte=post.period_end,
    ):
        due.fulfilled_on = post.published_on
        due.post = post
        due.save()


def _periods(item: DisclosureItem, today: date):
    """Every complete period of the item's cadence from its start up to today."""
    if item.cadence == Cadence.IMMEDIATE:
        return
    start, end = period_for(item.cadence, item.starts_on)
    while end < today:
        yield start, end, end + timedelta(days=GRACE_DAYS[item.cadence])
        start, end = period_for(item.cadence, end + timedelta(days=1))


def dues_ensure(items, today: date | None = None) -> int:
    """Create the dues of every complete period up to today (idempotent); a period already
    covered by a published post is fulfilled at once. A few queries whatever the number of
    items, so a street's or the district's page can call it. Returns how many were created."""
    today = today or timezone.localdate()
    chosen = list(items.filter(active=True).exclude(cadence=Cadence.IMMEDIATE))
    if not chosen:
        return 0
    ids = [item.pk for item in chosen]
    known = set(
        DisclosureDue.objects.filter(item_id__in=ids).values_list("item_id", "period_start")
    )
    posts = defaultdict(list)
    for post in (
        DisclosurePost.objects.filter(item_id__in=ids, status=PostStatus.PUBLISHED)
        .order_by("published_on", "id")
        .only("id", "item_id", "period_start", "period_end", "published_on")
    ):
        posts[post.item_id].append(post)
    fresh = []
    for item in chosen:
        for start, end, due_on in _periods(item, today):
            if (item.pk, start) in known:
                continue
            covering = next(
                (p for p in posts[item.pk] if p.period_start <= start and p.period_end >= end),
                None,
            )
            fresh.append(
                DisclosureDue(
                    item=item,
                    unit_id=item.unit_id,
                    period_start=start,
                    period_end=end,
                    due_on=due_on,
                    fulfilled_on=covering.published_on if covering else None,
                    post=covering,
                )
            )
    if not fresh:
        return 0
    try:
        with transaction.atomic(), pghistory.context(reason="disclosure_dues"):
            DisclosureDue.objects.bulk_create(fresh)
            apply_fact_changes([], [fact for due in fresh for fact in due.tally_facts()])
    except IntegrityError:
        return 0  # a concurrent request created them first, with their facts
    return len(fresh)
