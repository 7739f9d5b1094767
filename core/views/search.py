"""The staff search box's answers: a dropdown under the box (htmx) or the /search/ page."""

import unicodedata

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.search import MAX_LENGTH, SEARCHERS, clean_query, search
from core.views.access import fragment_or_page


def _shown(raw: str) -> str:
    """What the box shows back: the query without control characters, cut to length."""
    kept = "".join(c for c in raw[: MAX_LENGTH * 2] if unicodedata.category(c)[0] != "C")
    return kept[:MAX_LENGTH]


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q")
    searcher = SEARCHERS.get(request.GET.get("kind", ""))
    query, problem, groups = "", "", []
    if raw is not None and (raw or not request.htmx):
        query, problem = clean_query(raw)
        if query:
            groups = search(request.user, query, kind=searcher.key if searcher else None)
    context = {
        "asked": raw is not None,
        "query": query,
        "search_query": _shown(raw or ""),
        "problem": problem,
        "groups": groups,
        "searcher": searcher,
    }
    return render(request, fragment_or_page(request, "core/search.html", "results"), context)
