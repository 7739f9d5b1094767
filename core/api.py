"""The portal's machine interfaces (Open311 GeoReport v2 and the open-data JSON API) are built by
the `interfaces` app from routers the other apps add here from their AppConfig.ready(), the way
they add menu entries: core and `interfaces` name no app, and no app names `interfaces`.

An operation that writes declares `auth=API_KEY`: it then needs an API key, and `request.auth` is
the key (with its `.pk`, the `.unit` it is bound to, and `.replays_same_body(idempotency_key,
body_digest)`, False when that Idempotency-Key came before with another body), checked by
whatever the `interfaces` app registered with `verify_keys_with` (unknown, revoked, over its rate:
refused)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse, JsonResponse
from ninja.errors import HttpError
from ninja.security import APIKeyHeader

__all__ = [
    "MAX_PAGE_SIZE",
    "OPEN311",
    "OPEN_DATA",
    "PAGE_SIZE",
    "XML_RESPONSE",
    "API_KEY",
    "ApiRouter",
    "Open311Filters",
    "Open311Service",
    "add_api_router",
    "add_open311_service",
    "open311_services",
    "api_error",
    "is_api_request",
    "api_routers",
    "page_of",
    "verify_keys_with",
    "xml_response",
]

OPEN311 = "open311"
OPEN_DATA = "open_data"
# Where each is served: the portal's error pages answer in the interfaces' shape under them.
PREFIXES = {OPEN311: "open311/v2/", OPEN_DATA: "api/v1/"}

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# How an operation that answers in XML declares it in the OpenAPI schema.
XML_RESPONSE = {
    "responses": {200: {"description": "OK", "content": {"application/xml": {"schema": {}}}}}
}


class ApiKeyAuth(APIKeyHeader):
    """Open311 sends the key as the form field `api_key`; the `X-Api-Key` header works too."""

    param_name = "X-Api-Key"
    verifier = None

    def _get_key(self, request):
        return request.headers.get(self.param_name) or request.POST.get("api_key")

    def authenticate(self, request, key):
        if type(self).verifier is None:
            raise HttpError(403, "No API keys are accepted here.")
        return type(self).verifier(request, key)


API_KEY = ApiKeyAuth()


def verify_keys_with(verifier) -> None:
    """verifier(request, key) returns the key or raises HttpError."""
    ApiKeyAuth.verifier = staticmethod(verifier)


@dataclass(frozen=True)
class ApiRouter:
    api: str
    prefix: str
    router: object
    order: int


_routers: list[ApiRouter] = []


def add_api_router(api: str, router, *, prefix: str = "", order: int = 100):
    if api not in (OPEN311, OPEN_DATA):
        raise ValueError(f"no interface {api!r}")
    if all(entry.router is not router for entry in _routers):
        _routers.append(ApiRouter(api, prefix, router, order))


def api_routers(api: str) -> list[ApiRouter]:
    return sorted((r for r in _routers if r.api == api), key=lambda r: r.order)


@dataclass(frozen=True)
class Open311Filters:
    """What a `GET requests` asks for, read and checked: ids (strings, as the spec's
    service_request_id), a window of requested times, open and/or closed, a unit (or None), and
    the service codes wanted (empty: all)."""

    ids: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset = frozenset({"open", "closed"})
    unit: object = None
    codes: frozenset = frozenset()


@dataclass(frozen=True)
class Open311Service:
    """A kind of request residents may file over Open311 (GET services, POST requests), added by
    the app whose records it makes, from its AppConfig.ready(). The `interfaces` app serves them
    all under one /open311/v2/.

    - `codes`: its service codes; `entries()`: its rows in GET services.
    - `listed(filters, limit)`: at most `limit` requests, newest first (by requested_datetime), as
      Open311 rows (dicts); one query whatever the data's size.
    - `one(service_request_id)`: the row, or None when the id is not its own.
    - `by_token(token)`: the service_request_id of a token, or None.
    - `file(unit=, code=, data=, point=, media=, submission_key=)`: files a request (`data` the
      spec's fields, `point` (lat, long) or None) and returns (record, created, reply: the
      spec's service_request_id, token, service_notice); raises HttpError(400, …) on bad input.
      A repeated `submission_key` returns the first record with created False.
    """

    codes: tuple[str, ...]
    entries: Callable[[], list[dict]]
    listed: Callable[[Open311Filters, int], list[dict]]
    one: Callable[[str], dict | None]
    by_token: Callable[[str], str | None]
    file: Callable[..., tuple]
    order: int = 100


_services: list[Open311Service] = []


def add_open311_service(service: Open311Service) -> None:
    if all(set(s.codes).isdisjoint(service.codes) for s in _services):
        _services.append(service)
        _services.sort(key=lambda s: s.order)


def open311_services() -> list[Open311Service]:
    return list(_services)


def page_of(queryset, page: int, page_size: int) -> tuple[list, int]:
    """One page of an ordered queryset and the total: two queries whatever the page or size.
    A page past the end is empty, not an error."""
    paginator = Paginator(queryset, min(max(page_size, 1), MAX_PAGE_SIZE))
    try:
        rows = list(paginator.page(max(page, 1)).object_list)
    except EmptyPage:
        rows = []
    return rows, paginator.count


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def xml_response(root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    """Open311's XML form of a list of flat records: <root><item><field>…</field></item></root>."""
    top = ElementTree.Element(root)
    for row in rows:
        element = ElementTree.SubElement(top, item)
        for name, value in row.items():
            ElementTree.SubElement(element, name).text = _text(value)
    body = ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type="application/xml; charset=utf-8")


def is_api_request(request) -> bool:
    return any(request.path.startswith("/" + prefix) for prefix in PREFIXES.values())


def api_error(request, status: int, description: str) -> HttpResponse:
    """Open311's error shape, `[{"code": 400, "description": "…"}]`, in XML under a .xml path."""
    error = [{"code": status, "description": str(description)}]
    if request.path.endswith(".xml"):
        return xml_response("errors", "error", error, status)
    return JsonResponse(error, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
