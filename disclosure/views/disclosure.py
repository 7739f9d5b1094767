"""Staff pages of village-affairs disclosure: the catalogue and what is due, posts from draft to
publication, the committee's review, corrections. Every record comes through `.for_user`."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    already_submitted,
    error_summary,
    save_once,
)
from core.models import (
    StaleVersion,
    UnitLevel,
    units_for,
)
from core.thumbnails import thumbnail_for
from core.timeline import timeline_for
from core.uploads import photo_response
from disclosure.forms.disclosure import (
    ChannelFormSet,
    CorrectForm,
    FundLineFormSet,
    ItemForm,
    PhotoForm,
    PostForm,
    ReviewForm,
    to_fen,
)
from disclosure.models import (
    DisclosureDue,
    DisclosureItem,
    DisclosurePost,
    FundLine,
    PostChannel,
    PostPhoto,
    PostStatus,
)
from disclosure.roles import Action
from disclosure.services.disclosure import (
    check_fund_totals,
    dues_ensure,
    post_correct,
    post_review,
    post_submit,
)
from disclosure.views.home_rows import (
    awaiting_items,
    catalogue_rows,
    draft_items,
    published_items,
)

__all__ = [
    "disclosure_home",
    "item_create",
    "post_create",
    "post_edit",
    "post_detail",
    "post_submit_view",
    "post_review_view",
    "post_correct_view",
    "post_photo_add",
    "post_photo",
]


def _villages(user, action: str):
    return units_for(user, action).filter(level__in=[UnitLevel.VILLAGE, UnitLevel.COMMUNITY])


def _post_for_user(request, pk: int, action: str = Action.VIEW) -> DisclosurePost:
    return get_object_or_404(
        DisclosurePost.objects.for_user(request.user, action).select_related("unit", "item"),
        pk=pk,
    )


def disclosure_home(request: HttpRequest) -> HttpResponse:
    """A clerk's or committee's village: catalogue, what is due, posts by state. Above a
    village (street, district): which villages are overdue."""
    today = timezone.localdate()
    items = DisclosureItem.objects.for_user(request.user)
    dues_ensure(items, today)
    overdue = DisclosureDue.objects.for_user(request.user).filter(
        fulfilled_on__isnull=True, due_on__lt=today
    )
    by_village = (
        overdue.values("unit__code", "unit__name", "unit__parent__name")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__code")
    )
    posts = DisclosurePost.objects.for_user(request.user).select_related("unit")
    shown = list(items.select_related("unit").order_by("unit__code", "category", "title")[:300])
    # Each item's latest due and its overdue count, in two queries for the whole catalogue.
    ids = [item.pk for item in shown]
    latest = {
        due.item_id: due
        for due in DisclosureDue.objects.filter(item_id__in=ids)
        .order_by("item_id", "-period_start")
        .distinct("item_id")
    }
    late = dict(
        DisclosureDue.objects.filter(item_id__in=ids, fulfilled_on__isnull=True, due_on__lt=today)
        .values_list("item_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    catalogue = [
        {"item": item, "latest": latest.get(item.pk), "overdue": late.get(item.pk, 0)}
        for item in shown
    ]
    can_draft = _villages(request.user, Action.DRAFT_DISCLOSURE).exists()
    context = {
        "catalogue": catalogue_rows(catalogue, can_draft),
        "overdue_villages": list(by_village[:200]),
        "overdue_total": overdue.count(),
        "awaiting": awaiting_items(posts.filter(status=PostStatus.IN_REVIEW)[:50]),
        "drafts": draft_items(
            posts.filter(status__in=[PostStatus.DRAFT, PostStatus.RETURNED])[:50]
        ),
        "published": published_items(posts.filter(status=PostStatus.PUBLISHED)[:30]),
        "can_draft": can_draft,
        "today": today,
    }
    return render(request, "disclosure/home.html", context)


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    units = _villages(request.user, Action.DRAFT_DISCLOSURE)
    if not units.exists():
        raise Http404
    form = ItemForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), pghistory.context(user=request.user.pk, reason="catalogue_add"):
            DisclosureItem.objects.create(**form.cleaned_data)
        return redirect("governance:disclosure_home")
    if not form.is_bound:
        form.fields["starts_on"].initial = timezone.localdate().replace(month=1, day=1)
    return render(
        request,
        "disclosure/item_form.html",
        {"form": form, "error_summary": error_summary([form]) if form.is_bound else []},
    )


def _formsets(request, post: DisclosurePost | None = None):
    if request.method == "POST":
        return (
            FundLineFormSet(request.POST, prefix="lines"),
            ChannelFormSet(request.POST, prefix="channels"),
        )
    lines = channels = []
    if post is not None:
        lines = [
            {"direction": x.direction, "item": x.item, "amount": x.amount, "note": x.note}
            for x in post.fund_lines.all()
        ]
        channels = [
            {"channel": c.channel, "published_on": c.published_on, "reference": c.reference}
            for c in post.channels.all()
        ]
    return (
        FundLineFormSet(prefix="lines", initial=lines),
        ChannelFormSet(prefix="channels", initial=channels),
    )


def _filled(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.has_changed()]


def _valid_with_totals(form, lines_fs, channels_fs) -> bool:
    """All three valid and the declared totals equal the lines, to the fen."""
    valid = all([form.is_valid(), lines_fs.is_valid(), channels_fs.is_valid()])
    if not valid:
        return False
    lines = [
        {"direction": x["direction"], "amount_fen": to_fen(x["amount"])} for x in _filled(lines_fs)
    ]
    try:
        check_fund_totals(
            to_fen(form.cleaned_data["declared_income"]),
            to_fen(form.cleaned_data["declared_expense"]),
            lines,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _write_children(post: DisclosurePost, lines_fs, channels_fs) -> None:
    post.fund_lines.all().delete()
    post.channels.all().delete()
    FundLine.objects.bulk_create(
        FundLine(
            post=post,
            direction=x["direction"],
            item=x["item"],
            amount_fen=to_fen(x["amount"]),
            note=x["note"],
            order=n,
        )
        for n, x in enumerate(_filled(lines_fs))
    )
    PostChannel.objects.bulk_create(PostChannel(post=post, **x) for x in _filled(channels_fs))


def _post_fields(data: dict) -> dict:
    return {
        "unit": data["unit"],
        "item": data["item"],
        "category": data["category"],
        "title": data["title"],
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "body": data["body"],
        "declared_income_fen": to_fen(data["declared_income"]),
        "declared_expense_fen": to_fen(data["declared_expense"]),
    }


def _render_form(request, form, lines_fs, channels_fs, post=None, conflict=None, status=200):
    forms = [form, *lines_fs.forms, *channels_fs.forms]
    context = {
        "form": form,
        "lines": lines_fs,
        "channels": channels_fs,
        "post": post,
        "conflict": conflict,
        "error_summary": error_summary(forms) if form.is_bound else [],
    }
    return render(request, "disclosure/post_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    units = _villages(request.user, Action.DRAFT_DISCLOSURE)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = PostForm(request.POST or None, units=units)
    lines_fs, channels_fs = _formsets(request)
    if request.method == "POST" and _valid_with_totals(form, lines_fs, channels_fs):
        key = form.cleaned_data["submission_key"]

        def draft() -> DisclosurePost:
            post = DisclosurePost.objects.create(
                created_by=request.user, **_post_fields(form.cleaned_data)
            )
            _write_children(post, lines_fs, channels_fs)
            return post

        with pghistory.context(user=request.user.pk, reason="post_draft"):
            post, done = save_once(request, key, draft, "governance:disclosure_home")
        return redirect(done or post.get_absolute_url())
    if not form.is_bound:
        item = request.GET.get("item")
        due = _due_asked(request, form)
        if due is not None:
            form.initial.update(
                {
                    "item": due.item,
                    "unit": due.item.unit,
                    "category": due.item.category,
                    "title": due.item.title,
                    "period_start": due.period_start,
                    "period_end": due.period_end,
                }
            )
        elif item and item.isdigit():
            chosen = form.fields["item"].queryset.filter(pk=item).first()
            if chosen:
                form.initial.update(
                    {"item": chosen, "unit": chosen.unit, "category": chosen.category}
                )
                form.initial["title"] = chosen.title
    return _render_form(request, form, lines_fs, channels_fs)


def _due_asked(request, form) -> DisclosureDue | None:
    """The due named by `?due=` (the landing page's "draft now"), if the user may draft it."""
    due = request.GET.get("due", "")
    if not due.isdigit() or len(due) > 12:
        return None
    return (
        DisclosureDue.objects.filter(pk=due, item__in=form.fields["item"].queryset)
        .select_related("item__unit")
        .first()
    )


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_user(request, pk, Action.DRAFT_DISCLOSURE)
    if not post.editable:
        return redirect(post.get_absolute_url())
    units = _villages(request.user, Action.DRAFT_DISCLOSURE)
    initial = {
        "version": post.version,
        "unit": post.unit,
        "item": post.item,
        "category": post.category,
        "title": post.title,
        "period_start": post.period_start,
        "period_end": post.period_end,
        "body": post.body,
        "declared_income": post.declared_income(),
        "declared_expense": post.declared_expense(),
    }
    form = PostForm(request.POST or None, units=units, initial=initial)
    lines_fs, channels_fs = _formsets(request, post)
    if request.method == "POST" and _valid_with_totals(form, lines_fs, channels_fs):
        try:
            with transaction.atomic(), pghistory.context(user=request.user.pk, reason="post_edit"):
                current = DisclosurePost.lock_at_version(post.pk, form.cleaned_data["version"] or 0)
                if not current.editable:
                    raise StaleVersion(current)
                for name, value in _post_fields(form.cleaned_data).items():
                    setattr(current, name, value)
                current.save()
                _write_children(current, lines_fs, channels_fs)
        except StaleVersion as stale:
            fresh = PostForm(units=units, initial={**initial, "version": stale.current.version})
            lines_fs, channels_fs = _formsets(_GetOnly(), stale.current)
            return _render_form(
                request, fresh, lines_fs, channels_fs, post, conflict=stale.current, status=409
            )
        return redirect(post.get_absolute_url())
    return _render_form(request, form, lines_fs, channels_fs, post)


class _GetOnly:
    method = "GET"


def _detail(request, post: DisclosurePost, **extra) -> HttpResponse:
    user = request.user
    can = {
        action: DisclosurePost.objects.allows(user, action, post)
        for action in (Action.DRAFT_DISCLOSURE, Action.REVIEW_DISCLOSURE)
    }
    status = extra.pop("status", 200)
    context = {
        "post": post,
        "lines": post.fund_lines.all(),
        "totals": post.line_totals(),
        "channels": post.channels.all(),
        "photos": post.photos.all(),
        "reviews": post.reviews.select_related("by"),
        "editions": post.editions() if post.corrects_id or post.is_published else [post],
        "can_draft": can[Action.DRAFT_DISCLOSURE],
        "can_review": can[Action.REVIEW_DISCLOSURE]
        and post.status == PostStatus.IN_REVIEW
        and post.created_by_id != user.pk,
        "review_form": extra.pop("review_form", None)
        or ReviewForm(initial={"version": post.version}),
        "correct_form": extra.pop("correct_form", None) or CorrectForm(),
        "photo_form": extra.pop("photo_form", None) or PhotoForm(),
        "timeline": timeline_for(post),
        **extra,
    }
    return render(request, "disclosure/post_detail.html", context, status=status)


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _post_for_user(request, pk))


@require_POST
def post_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_user(request, pk, Action.DRAFT_DISCLOSURE)
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = 0
    post.version = version
    try:
        post_submit(post=post, by=request.user)
    except StaleVersion as stale:
        return _detail(request, _post_for_user(request, pk), conflict=stale.current, status=409)
    except ValidationError as error:
        return _detail(request, _post_for_user(request, pk), errors=error.messages, status=400)
    return redirect(post.get_absolute_url())


@require_POST
def post_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_user(request, pk, Action.REVIEW_DISCLOSURE)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, post, review_form=form)
    post.version = form.cleaned_data["version"]
    try:
        post_review(
            post=post,
            by=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except StaleVersion as stale:
        return _detail(request, _post_for_user(request, pk), conflict=stale.current, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, _post_for_user(request, pk), review_form=form)
    return redirect(post.get_absolute_url())


@require_POST
def post_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_user(request, pk, Action.DRAFT_DISCLOSURE)
    form = CorrectForm(request.POST)
    if form.is_valid():
        try:
            fresh = post_correct(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("governance:post_edit", pk=fresh.pk)
    return _detail(request, post, correct_form=form)


@require_POST
def post_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_user(request, pk, Action.DRAFT_DISCLOSURE)
    form = PhotoForm(request.POST, request.FILES)
    if not post.editable:
        form.is_valid()
        form.add_error(
            None, gettext("A published post cannot change; publish a correction instead.")
        )
        return _detail(request, post, photo_form=form, status=400)
    if not form.is_valid():
        return _detail(request, post, photo_form=form)
    photo = form.cleaned_data["photo"]
    with transaction.atomic(), pghistory.context(user=request.user.pk, reason="post_photo"):
        record = PostPhoto(post=post, caption=form.cleaned_data["caption"])
        record.image.save(photo.name, photo, save=False)
        record.thumbnail.save(f"t{photo.name}", thumbnail_for(photo), save=False)
        record.save()
    return redirect(post.get_absolute_url())


def post_photo(request: HttpRequest, pk: int, size: str = "full") -> HttpResponse:
    """A post's photo for staff in scope (drafts too)."""
    photo = get_object_or_404(
        PostPhoto.objects.filter(
            post__in=DisclosurePost.objects.for_user(request.user).values("pk")
        ),
        pk=pk,
    )
    return photo_response(post_photo_file(photo, size))


def post_photo_file(photo: PostPhoto, size: str):
    return photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
