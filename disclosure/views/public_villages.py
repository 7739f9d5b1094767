"""The public's village pages, without login: an index with search, a page per village or
community (latest posts, 四议两公开 decisions with their steps, rectified items, survey results),
all its posts a page at a time with filters by year and category, each post with its editions,
CSV and JSON downloads, and the satisfaction survey. No personal data: names are
never shown, and ID and mobile numbers in free text are masked. Pages are cached under a
generation that any publication bumps, so readers under load never wait on the database."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from core.client import client_address
from core.exports import attachment, csv_response
from core.forms.base import add_service_errors
from core.models import (
    AdministrativeUnit,
    UnitLevel,
)
from core.public_pages import cached_public, project_url
from core.redaction import redact
from core.uploads import photo_response
from core.views.pagination import keyset_page
from disclosure.forms.public import PublicPostFilter
from disclosure.forms.surveys import AnswerForm
from disclosure.models import (
    Decision,
    DecisionStep,
    DisclosureCategory,
    DisclosurePost,
    Finding,
    MemberKind,
    PostPhoto,
    PostStatus,
    SupervisionMember,
    Survey,
)
from disclosure.services.surveys import survey_answer
from disclosure.views.disclosure import post_photo_file

__all__ = [
    "village_index",
    "village_page",
    "village_posts",
    "public_post",
    "public_photo",
    "village_posts_csv",
    "village_posts_json",
    "public_survey",
]

# Browsers and proxies ask again each time (the portal's cache answers): a correction published a
# moment ago is never hidden behind a copy they kept.
BROWSER_CACHING = "no-cache"
LATEST_POSTS = 20


PUBLIC_LEVELS = [UnitLevel.VILLAGE, UnitLevel.COMMUNITY]


def _villages():
    """Villages and communities: each discloses its affairs (村务公开, 居务公开)."""
    return AdministrativeUnit.objects.active().filter(level__in=PUBLIC_LEVELS)


def _published():
    return DisclosurePost.objects.filter(status=PostStatus.PUBLISHED)


def _cached_html(name: str, parts: list, build: Callable[[], str]) -> str:
    """A fragment rendered without the request's CSRF token or session: safe to share."""
    return cached_public(name, parts, build)


def _page(request, title: str, body: str, description: str, status: int = 200) -> HttpResponse:
    response = render(
        request,
        "disclosure/public/page.html",
        # our own rendered template
        {"title": title, "body": mark_safe(body), "description": description},  # noqa: S308
        status=status,
    )
    response["Cache-Control"] = BROWSER_CACHING
    return response


def _cached_download(name: str, parts: list, build: Callable[[], HttpResponse]) -> HttpResponse:
    return cached_public(name, parts, build)


@login_not_required
@require_GET
def village_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:40]

    fragment = "results" if request.htmx else "body"

    def build():
        villages = _villages().select_related("parent").order_by("code")
        if query:
            villages = villages.filter(name__icontains=query)
        context = {"villages": list(villages[:400]), "query": query, "total": villages.count()}
        return render_to_string(f"disclosure/public/index.html#{fragment}", context)

    html = _cached_html("index", [fragment, query], build)
    if request.htmx:
        return HttpResponse(html)
    description = gettext(
        "Find a village or community of Gangcheng District and read what it disclosed: "
        "affairs, finances, decisions and rectified items."
    )
    return _page(request, gettext("Village-affairs disclosure"), html, description)


def _public_finding(f: Finding) -> dict:
    return {
        "title": redact(f.title),
        "found_on": f.found_on,
        "deadline": f.deadline,
        "response": redact(f.response),
        "signed_off_on": f.signed_off_on,
    }


@login_not_required
@require_GET
def village_page(request: HttpRequest, code: str) -> HttpResponse:
    village = get_object_or_404(_villages().select_related("parent"), code=code)

    def build():
        posts = _published().filter(unit=village).select_related("unit", "corrected_by")
        decisions = Decision.objects.filter(unit=village).prefetch_related("steps__post__unit")
        rectified = Finding.objects.filter(unit=village).rectified().order_by("-signed_off_on")
        members = SupervisionMember.objects.filter(unit=village).serving()
        surveys = [
            {"survey": s, "results": s.results(), "open": s.is_open()}
            for s in Survey.objects.filter(unit=village)[:5]
        ]
        decisions = list(decisions[:20])
        for decision in decisions:
            decision.project_url = project_url(village, decision.project)
        context = {
            "village": village,
            "posts": list(posts.order_by("-published_on", "-id")[:LATEST_POSTS]),
            "post_total": posts.count(),
            "latest": LATEST_POSTS,
            "decisions": decisions,
            "rectified": [_public_finding(f) for f in rectified[:50]],
            "rectified_total": rectified.count(),
            "observers": members.filter(kind=MemberKind.OBSERVER).count(),
            "committee": members.filter(kind=MemberKind.COMMITTEE).count(),
            "surveys": surveys,
        }
        context["empty"] = not (
            context["post_total"]
            or decisions
            or context["rectified_total"]
            or surveys
            or context["observers"]
            or context["committee"]
        )
        return render_to_string("disclosure/public/village.html", context)

    description = gettext(
        "What %(name)s disclosed: its posts, 四议两公开 decisions, rectified items and "
        "villagers' satisfaction."
    ) % {"name": village.name}
    return _page(request, village.name, _cached_html("village", [code], build), description)


@login_not_required
@require_GET
def village_posts(request: HttpRequest, code: str) -> HttpResponse:
    """All of a village's posts, newest first, a page at a time; filtered by the year they were
    published and their category. An htmx request gets the list alone."""
    village = get_object_or_404(_villages().select_related("parent"), code=code)
    published = _published().filter(unit=village)
    years = _cached_html(
        "post-years",
        [code],
        lambda: sorted({d.year for d in published.dates("published_on", "year")}, reverse=True),
    )
    form = PublicPostFilter(request.GET, years=years)
    form.is_valid()
    year = form.cleaned_data.get("year")
    category = form.cleaned_data.get("category") or ""
    fragment = "results" if request.htmx else "body"
    after = request.GET.get("after", "")[:40]
    size = request.GET.get("size", "")[:4]
    query = "&".join(
        f"{name}={value}" for name, value in (("year", year), ("category", category)) if value
    )

    def build():
        posts = published.select_related("unit", "corrected_by")
        if year:
            posts = posts.filter(published_on__year=year)
        if category:
            posts = posts.filter(category=category)
        page = keyset_page(posts, request, "published_on")
        context = {
            "village": village,
            "form": form,
            "page": page,
            "total": posts.count(),
            "query": query,
            "filtered": bool(year or category),
            "year": year,
            "category_label": DisclosureCategory(category).label if category else "",
        }
        return render_to_string(f"disclosure/public/posts.html#{fragment}", context)

    errors = sorted(form.errors)
    html = _cached_html("posts", [fragment, code, year, category, after, size, *errors], build)
    if request.htmx:
        response = HttpResponse(html)
        response["Cache-Control"] = BROWSER_CACHING
        return response
    title = gettext("All disclosures of %(name)s") % {"name": village.name}
    description = gettext("Every post %(name)s published, newest first, by year and category.") % {
        "name": village.name
    }
    return _page(request, title, html, description)


@login_not_required
@require_GET
def public_post(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    post = get_object_or_404(_published().select_related("unit", "item"), pk=pk, unit__code=code)

    def build():
        editions = [e for e in post.editions() if e.is_published]
        steps = DecisionStep.objects.filter(post=post).select_related("decision")
        started = [
            {"name": step.decision.project, "url": url}
            for step in steps
            if (url := project_url(post.unit, step.decision.project))
        ]
        context = {
            "started": started,
            "village": post.unit,
            "post": post,
            "lines": post.fund_lines.all(),
            "channels": post.channels.all(),
            "photos": post.photos.all(),
            "editions": editions,
            "newest": editions[-1] if editions else post,
        }
        return render_to_string("disclosure/public/post.html", context)

    description = gettext("%(category)s disclosed by %(name)s, published on %(day)s.") % {
        "category": post.get_category_display(),
        "name": post.unit.name,
        "day": post.published_on.isoformat() if post.published_on else "",
    }
    return _page(request, redact(post.title), _cached_html("post", [code, pk], build), description)


@login_not_required
@require_GET
def public_photo(request: HttpRequest, pk: int, size: str = "full") -> HttpResponse:
    photo = get_object_or_404(PostPhoto.objects.filter(post__in=_published()), pk=pk)
    return photo_response(post_photo_file(photo, size), private=False)


def _export_rows(village) -> list[dict]:
    rows = []
    posts = (
        _published()
        .filter(unit=village)
        .select_related("item")
        .prefetch_related("fund_lines", "channels")
        .order_by("published_on", "id")
    )
    for post in posts:
        rows.append(
            {
                "id": post.pk,
                "edition": post.edition,
                "corrects": post.corrects_id,
                "correction_reason": redact(post.correction_reason),
                "category": post.category,
                "title": redact(post.title),
                "period_start": post.period_start.isoformat(),
                "period_end": post.period_end.isoformat(),
                "published_on": post.published_on.isoformat() if post.published_on else None,
                "text": redact(post.body),
                "total_income": str(post.declared_income() or "0.00"),
                "total_expense": str(post.declared_expense() or "0.00"),
                "fund_lines": [
                    {
                        "direction": line.direction,
                        "line": redact(line.item),
                        "amount": str(line.amount),
                        "note": redact(line.note),
                    }
                    for line in post.fund_lines.all()
                ],
                "channels": [
                    {
                        "channel": c.channel,
                        "date": c.published_on.isoformat(),
                        "reference": redact(c.reference),
                    }
                    for c in post.channels.all()
                ],
                "url": _public_url(post),
            }
        )
    return rows


def _public_url(post: DisclosurePost) -> str:
    return reverse("public:post", kwargs={"code": post.unit.code, "pk": post.pk})


@login_not_required
@require_GET
def village_posts_json(request: HttpRequest, code: str) -> HttpResponse:
    village = get_object_or_404(_villages(), code=code)

    def build():
        payload = {"village": {"code": village.code, "name": village.name}}
        payload["posts"] = _export_rows(village)
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
        return attachment(response, f"{village.code}-posts.json")

    return _cached_download("posts.json", [code], build)


CSV_COLUMNS = [
    "post_id",
    "edition",
    "corrects",
    "correction_reason",
    "category",
    "title",
    "period_start",
    "period_end",
    "published_on",
    "total_income",
    "total_expense",
    "direction",
    "line",
    "amount",
    "note",
]


@login_not_required
@require_GET
def village_posts_csv(request: HttpRequest, code: str) -> HttpResponse:
    """One row per fund line (a post without lines has one row): opens in Excel (UTF-8 BOM)."""
    village = get_object_or_404(_villages(), code=code)

    def build():
        rows = []
        for post in _export_rows(village):
            head = [
                post["id"],
                post["edition"],
                post["corrects"] or "",
                post["correction_reason"],
                post["category"],
                post["title"],
                post["period_start"],
                post["period_end"],
                post["published_on"] or "",
                post["total_income"],
                post["total_expense"],
            ]
            lines = post["fund_lines"] or [{"direction": "", "line": "", "amount": "", "note": ""}]
            rows += [
                head + [line[k] for k in ("direction", "line", "amount", "note")] for line in lines
            ]
        return csv_response(filename=f"{village.code}-posts.csv", header=CSV_COLUMNS, rows=rows)

    return _cached_download("posts.csv", [code], build)


@login_not_required
@require_http_methods(["GET", "POST"])
def public_survey(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("unit"), pk=pk, unit__code=code)
    if survey.unit.level not in PUBLIC_LEVELS:
        raise Http404
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        try:
            survey_answer(
                survey=survey,
                code=form.cleaned_data["code"],
                rating=form.cleaned_data["rating"],
                address=address,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("public:survey", args=[code, pk]) + "?thanks=1")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "disclosure/public/survey.html",
        {
            "survey": survey,
            "village": survey.unit,
            "form": form,
            "thanks": request.GET.get("thanks") == "1",
            "results": survey.results(),
        },
        status=status,
    )
