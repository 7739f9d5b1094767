"""One search box for staff: each app adds a searcher for its records (from its AppConfig.ready()),
and the box asks every searcher the user may use, within the user's scope.

A searcher answers with `Hit`s already fit to show: personal data masked through core.privacy,
links the user may follow. Matching is the searcher's: an exact number or code first, then names
that contain the query (see `ranked`).
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_LENGTH",
    "PER_KIND",
    "Group",
    "Hit",
    "Searcher",
    "SEARCHERS",
    "add_searcher",
    "clean_query",
    "as_pk",
    "ranked",
    "search",
]

MAX_LENGTH = 64  # longer than any number, code or name the portal holds
PER_KIND = 5  # hits shown a kind in the box; "更多" leads to the rest
ALL_OF_KIND = 50  # hits shown when one kind is asked for alone


@dataclass(frozen=True)
class Hit:
    label: str  # the number, code or name, masked where it is personal data
    url: str
    detail: str = ""  # a second line: the unit, the status, a masked ID number


@dataclass(frozen=True)
class Searcher:
    key: str
    label: object  # the kind, plural: "纠纷案件"
    # (user, query, limit) -> at most `limit` hits, best first
    find: Callable[..., list[Hit]]
    # (user) -> whether the user may search this kind at all (and follow its links)
    allowed: Callable[..., bool] = lambda user: True
    # (user, query) -> the list page filtered by the query, where the list can filter so
    more_url: Callable[..., str | None] | None = None
    order: int = 100


@dataclass
class Group:
    searcher: Searcher
    hits: list[Hit]
    more: str | None = None  # where the rest are, when there are more than shown
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.searcher.key

    @property
    def label(self):
        return self.searcher.label


SEARCHERS: dict[str, Searcher] = {}


def add_searcher(key: str, label, find, *, allowed=None, more_url=None, order: int = 100) -> None:
    """An app's searcher for one kind of record (called from its AppConfig.ready())."""
    SEARCHERS[key] = Searcher(
        key=key,
        label=label,
        find=find,
        allowed=allowed or (lambda user: True),
        more_url=more_url,
        order=order,
    )


def clean_query(raw) -> tuple[str, str]:
    """The query as searchers read it, or "" and why it cannot be searched.

    Full-width digits and letters (１２３, ＡＢ) read as ASCII, so a number typed with a Chinese
    input method still matches."""
    text = "" if raw is None else str(raw)
    too_long = _("The search text is too long: type at most %(n)d characters.")
    if len(text) > MAX_LENGTH * 4:
        return "", str(too_long) % {"n": MAX_LENGTH}
    # Zero-width marks pasted along with a name are dropped; other control characters refused.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text).strip()
    if any(unicodedata.category(c)[0] == "C" and not c.isspace() for c in text):
        return "", str(_("The search text holds characters that cannot be searched."))
    if not text:
        return "", str(_("Type a number, code or name to search."))
    if len(text) > MAX_LENGTH:
        return "", str(too_long) % {"n": MAX_LENGTH}
    return " ".join(text.split()), ""


def ranked(queryset, *, exact: Q | None, contains: Q, order: tuple = (), limit: int):
    """Records matching `exact` first, then those matching `contains`, at most `limit`."""
    if exact is None:
        return list(queryset.filter(contains).order_by(*order)[:limit])
    rank = Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        queryset.filter(exact | contains)
        .annotate(search_rank=rank)
        .order_by("search_rank", *order)[:limit]
    )


def as_pk(query: str) -> int | None:
    """The query as a record's number when it is one ("37", "#37"), else None."""
    digits = query.removeprefix("#").removeprefix("＃")
    if digits.isascii() and digits.isdigit() and len(digits) <= 12:
        return int(digits)
    return None


def search(user, query: str, *, kind: str | None = None) -> list[Group]:
    """What each searcher the user may use finds: PER_KIND hits a kind, or up to ALL_OF_KIND
    of one kind when `kind` names it."""
    groups = []
    for searcher in sorted(SEARCHERS.values(), key=lambda s: (s.order, s.key)):
        if kind and searcher.key != kind:
            continue
        if not searcher.allowed(user):
            continue
        limit = ALL_OF_KIND if kind else PER_KIND
        hits = searcher.find(user, query, limit + 1)
        if not hits:
            continue
        more = None
        if len(hits) > limit:
            hits = hits[:limit]
            if not kind:
                more = (searcher.more_url and searcher.more_url(user, query)) or _kind_url(
                    searcher.key, query
                )
        groups.append(Group(searcher=searcher, hits=hits, more=more))
    return groups


def _kind_url(key: str, query: str) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    return f"{reverse('governance:search')}?{urlencode({'q': query, 'kind': key})}"


def find_units(user, query: str, limit: int) -> list[Hit]:
    """Core's own searcher: units by their code, then by name."""
    from core.models.units import AdministrativeUnit

    units = AdministrativeUnit.objects.for_user(user).active()
    found = ranked(
        units,
        exact=Q(code=query),
        contains=Q(name__contains=query),
        order=("depth", "code"),
        limit=limit,
    )
    return [
        Hit(
            label=unit.name,
            url=unit.get_absolute_url(),
            detail=f"{unit.code} · {unit.get_level_display()}",
        )
        for unit in found
    ]
