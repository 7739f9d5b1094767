"""Open311 GeoReport v2 at /open311/v2/: the services the apps add to core (core/api.py,
`add_open311_service`: residents' demands, safety hazards) served as one list of services and one
list of requests.

Extensions to the spec, as the spec allows: `jurisdiction_id` is a unit's statistical code (a key
may file for its own unit and those below it), `page` and `page_size` page a list, a photo is
uploaded as the multipart field `media`, and an `Idempotency-Key` header makes a replayed POST
return the first request (the same key with another body is refused with 409, and files nothing).

`media_url` is refused with 400, not fetched: fetching an address an app names would let anyone
holding a key make the portal's server request addresses on the district's intranet (SSRF), and
the portal reaches no outside address. The photo is uploaded as `media` instead.

`lat` and `long` (WGS-84 degrees) must both be numbers inside a generous box around 钢城区
(`AREA`), or both be absent; outside it the answer is 400. They are read back rounded to three
decimals (about 100 m): a public list does not pinpoint a resident's door.

What is read back carries no personal data: no name, phone or address; the description and the
staff's notes pass through `redact` with the names the portal holds for the request (its
submitter's) masked, so a resident who typed their own name and phone into the description is
not shown by it.
"""

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from itertools import islice

from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from core.api import (
    API_KEY,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    XML_RESPONSE,
    Open311Filters,
    open311_services,
    xml_response,
)
from core.models import AdministrativeUnit

__all__ = ["AREA", "router", "coordinates"]

router = Router(tags=["Open311"])

# The spec's default window when a list names no dates.
DEFAULT_WINDOW = timedelta(days=90)
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f6a1d2e-3b1c-4a0e-9d4c-311000000001")
# South, north, west, east: 钢城区 (about 36.0–36.3 N, 117.6–117.95 E) with a wide margin.
AREA = (35.8, 36.5, 117.4, 118.2)


class Service(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class ServiceRequest(Schema):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class RequestToken(Schema):
    service_request_id: str | None
    token: str


class Created(Schema):
    service_request_id: str
    token: str
    service_notice: str
    account_id: str | None


class NewRequest(Schema):
    service_code: str
    description: str = ""
    jurisdiction_id: str | None = None
    address_string: str | None = None
    lat: str | None = None
    long: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    media_url: str | None = None


class RequestFilters(Schema):
    service_request_id: str | None = None
    service_code: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    status: str | None = None
    jurisdiction_id: str | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


def coordinates(lat: str | None, long: str | None) -> tuple[float, float] | None:
    """(lat, long) inside AREA, None when neither is given; the spec's 400 otherwise."""
    given = [v for v in (lat, long) if v not in (None, "")]
    if not given:
        return None
    if len(given) == 1:
        raise HttpError(400, _("lat and long come together: give both or neither."))
    try:
        point = float(lat), float(long)
    except ValueError:
        raise HttpError(
            400, _("lat and long are numbers in degrees, such as 36.18 and 117.81.")
        ) from None
    south, north, west, east = AREA
    if not (south <= point[0] <= north and west <= point[1] <= east):
        raise HttpError(
            400,
            _("lat %(lat)s, long %(long)s is outside 钢城区.")
            % {"lat": lat.strip(), "long": long.strip()},
        )
    return point


def _entries() -> list[dict]:
    return [entry for service in open311_services() for entry in service.entries()]


def _service_for(code: str):
    for service in open311_services():
        if code in service.codes:
            return service
    raise HttpError(404, _("No service has this service_code."))


def _filters(filters: RequestFilters) -> Open311Filters:
    ids: tuple[str, ...] = ()
    start = end = None
    if filters.service_request_id:
        ids = tuple(part.strip() for part in filters.service_request_id.split(","))
        if not all(0 < len(part) < 20 and part.isascii() and part.isalnum() for part in ids):
            raise HttpError(400, _("service_request_id is a list of ids, comma-separated."))
    else:
        start, end = filters.start_date, filters.end_date
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
    statuses = frozenset({"open", "closed"})
    if filters.status:
        statuses = frozenset(part.strip() for part in filters.status.split(","))
        if not statuses <= {"open", "closed"}:
            raise HttpError(400, _("status is open, closed or both, comma-separated."))
    unit = None
    if filters.jurisdiction_id:
        unit = AdministrativeUnit.objects.filter(code=filters.jurisdiction_id).first()
        if unit is None:
            raise HttpError(404, _("No unit has this jurisdiction_id."))
    codes = frozenset()
    if filters.service_code:
        codes = frozenset(part.strip() for part in filters.service_code.split(","))
    return Open311Filters(ids, start, end, statuses, unit, codes)


def _listed(filters: RequestFilters) -> list[dict]:
    if not 1 <= filters.page_size <= MAX_PAGE_SIZE or filters.page < 1:
        raise HttpError(400, _("page starts at 1; page_size is 1 to %d.") % MAX_PAGE_SIZE)
    wanted = _filters(filters)
    # The spec's list is a bare array: no count. Each service gives its newest rows up to the end
    # of the page (one query each), and the page is cut from them merged, newest first.
    end = filters.page * filters.page_size
    if end > 100 * MAX_PAGE_SIZE:
        raise HttpError(400, _("Narrow the list with start_date and end_date to page this far."))
    streams = [
        service.listed(wanted, end)
        for service in open311_services()
        if not wanted.codes or not wanted.codes.isdisjoint(service.codes)
    ]
    if len(streams) == 1:
        rows = streams[0]
    else:
        rows = sorted(
            (row for stream in streams for row in stream),
            key=lambda row: (row["requested_datetime"], row["service_request_id"]),
            reverse=True,
        )
    return list(islice(rows, end - filters.page_size, end))


def _one(request_id: str) -> dict:
    if 0 < len(request_id) < 20:
        for service in open311_services():
            if (row := service.one(request_id)) is not None:
                return row
    raise HttpError(404, _("No service request has this id."))


def _token(token: str) -> dict:
    token = token.strip()
    if 0 < len(token) <= 40:
        for service in open311_services():
            if (found := service.by_token(token)) is not None:
                return {"service_request_id": found, "token": token}
    raise HttpError(404, _("No service request has this token."))


@router.get("/services.json", response=list[Service], summary="Services")
def services_json(request):
    return _entries()


@router.get("/services.xml", openapi_extra=XML_RESPONSE, summary="Services (XML)")
def services_xml(request):
    return xml_response("services", "service", _entries())


def _json(rows: list[dict]) -> JsonResponse:
    """The rows as they are: built by the services to the schema (as the schema tests check), so
    not validated again on the way out, which took a fifth of a page's time."""
    return JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})


@router.get("/requests.json", response=list[ServiceRequest], summary="Service requests")
def requests_json(request, filters: Query[RequestFilters]):
    return _json(_listed(filters))


@router.get("/requests.xml", openapi_extra=XML_RESPONSE, summary="Service requests (XML)")
def requests_xml(request, filters: Query[RequestFilters]):
    return xml_response("service_requests", "request", _listed(filters))


@router.get("/requests/{request_id}.json", response=list[ServiceRequest], summary="One request")
def request_json(request, request_id: str):
    return _json([_one(request_id)])


@router.get("/requests/{request_id}.xml", openapi_extra=XML_RESPONSE, summary="One request (XML)")
def request_xml(request, request_id: str):
    return xml_response("service_requests", "request", [_one(request_id)])


@router.get("/tokens/{token}.json", response=list[RequestToken], summary="Request id from token")
def token_json(request, token: str):
    return [_token(token)]


@router.get("/tokens/{token}.xml", openapi_extra=XML_RESPONSE, summary="Request id (XML)")
def token_xml(request, token: str):
    return xml_response("service_requests", "request", [_token(token)])


def _filing_unit(key_unit: AdministrativeUnit, code: str | None) -> AdministrativeUnit:
    if not code:
        return key_unit
    unit = AdministrativeUnit.objects.active().filter(code=code.strip()).first()
    if unit is None:
        raise HttpError(400, _("No unit has this jurisdiction_id."))
    if not unit.path.startswith(key_unit.path):
        raise HttpError(403, _("This API key may not file requests for %s.") % unit.name)
    return unit


def _body_digest(data: NewRequest, media: UploadedFile | None) -> str:
    """What a request asks for, whatever the order of its fields or its multipart boundary."""
    body = hashlib.sha256(json.dumps(data.dict(), sort_keys=True, default=str).encode())
    if media is not None:
        for chunk in media.chunks():
            body.update(chunk)
        media.seek(0)
    return body.hexdigest()


@router.post(
    "/requests.json",
    response={200: list[Created], 201: list[Created]},
    auth=API_KEY,
    summary="File a service request",
    description=(
        "Needs an API key (`api_key` field or `X-Api-Key` header). Photo: upload it as `media` "
        "(a `media_url` is refused, not fetched). `lat` and `long` in degrees, both or neither, "
        "inside 钢城区."
    ),
)
def request_create(
    request,
    data: Form[NewRequest],
    media: File[UploadedFile] = None,
    idempotency_key: Header[uuid.UUID | None] = None,
):
    service = _service_for(data.service_code)
    if data.media_url:
        raise HttpError(
            400,
            _(
                "media_url is not fetched (the portal requests no address an app names): "
                "upload the photo as media."
            ),
        )
    point = coordinates(data.lat, data.long)
    key = request.auth
    unit = _filing_unit(key.unit, data.jurisdiction_id)
    submission_key = (
        uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{key.pk}:{idempotency_key}")
        if idempotency_key
        else uuid.uuid4()
    )
    # A request refused (bad input, a conflicting replay) leaves no trace, not even its key.
    with transaction.atomic():
        digest = _body_digest(data, media)
        if idempotency_key and not key.replays_same_body(idempotency_key, digest):
            raise HttpError(
                409,
                _(
                    "This Idempotency-Key was sent before with a different request: "
                    "use a new key for a new request."
                ),
            )
        record, created, reply = service.file(
            unit=unit,
            code=data.service_code,
            data=data,
            point=point,
            media=media,
            submission_key=submission_key,
        )
    request.api_record = record
    return Status(201 if created else 200, [reply | {"account_id": None}])
