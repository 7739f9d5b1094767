"""Shared builders for the village-affairs disclosure tests."""

from datetime import date

from disclosure.models import DisclosurePost, FundLine, PostStatus


def draft_post(unit, by, *, lines=(("income", "上级拨付", 1_000_000), ("expense", "道路修缮", 750_050)),
               title="2026年第三季度财务公开", **fields) -> DisclosurePost:  # fmt: skip
    income = sum(f for d, _n, f in lines if d == "income")
    expense = sum(f for d, _n, f in lines if d == "expense")
    post = DisclosurePost.objects.create(
        unit=unit,
        category=fields.pop("category", "finance"),
        title=title,
        period_start=fields.pop("period_start", date(2026, 7, 1)),
        period_end=fields.pop("period_end", date(2026, 9, 30)),
        body=fields.pop("body", "本季度收支明细如下。"),
        declared_income_fen=income if lines else None,
        declared_expense_fen=expense if lines else None,
        created_by=by,
        **fields,
    )
    for n, (direction, item, fen) in enumerate(lines):
        FundLine.objects.create(post=post, direction=direction, item=item, amount_fen=fen, order=n)
    return post


def published_post(unit, clerk, supervisor, **fields) -> DisclosurePost:
    from disclosure.services.disclosure import post_review, post_submit

    post = draft_post(unit, clerk, **fields)
    post = post_submit(post=post, by=clerk)
    post = post_review(post=post, by=supervisor, decision="approved")
    assert post.status == PostStatus.PUBLISHED
    return post
