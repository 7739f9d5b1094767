"""Residents' demands over Open311 GeoReport v2 (the `interfaces` app serves it at /open311/v2/).

A request filed here is the same demand as one sent from the public form: the same form checks
it and the same service makes it (`demand_submit`), so it is tracked, routed, met on and answered
like any other. What is read back carries no personal data: no name, phone or address, and the
description and answer pass through `redact`.

Extensions to the spec, as the spec allows: `jurisdiction_id` is a unit's statistical code (a key
may file for its own unit and those below it), `page` and `page_size` page a list, a photo is
uploaded as the multipart field `media` (a `media_url` is not fetched: the portal reaches no
outside address), and an `Idempotency-Key` header makes a replayed POST return the first demand
(the same key with another body is refused with 409, and files nothing).
"""

import hashlib
import json
import uuid
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from consultation.forms import PublicDemandForm
from consultation.models import Demand, DemandStatus
from consultation.services.consultation import demand_submit
from core.api import API_KEY, MAX_PAGE_SIZE, PAGE_SIZE, XML_RESPONSE, page_of, xml_response
from core.models import AdministrativeUnit
from core.redaction import redact

__all__ = ["open_data", "router"]

router = Router(tags=["Open311"])

SERVICE_CODE = "demand"
# The spec's default window when a list names no dates.
DEFAULT_WINDOW = timedelta(days=90)
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f6a1d2e-3b1c-4a0e-9d4c-311000000001")


class Service(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str
    group: str


class ServiceRequest(Schema):
    service_request_id: str
    status: Literal["open", "closed"]
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
    lat: float | None = None
    long: float | None = None
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


def _services() -> list[dict]:
    return [
        {
            "service_code": SERVICE_CODE,
            "service_name": _("Resident demand"),
            "description": _(
                "Something residents need the community or village to fix or provide: a broken "
                "road, a dark stairwell, an elevator to retrofit. Staff answer it, and it may "
                "become a livelihood project."
            ),
            "metadata": False,
            "type": "realtime",
            "keywords": _("demand, repair, livelihood"),
            "group": _("Consultation"),
        }
    ]


def _as_open311(demand: Demand) -> dict:
    answered = demand.answered_on
    updated = demand.created_at
    if answered:
        updated = max(updated, timezone.make_aware(datetime.combine(answered, time(0, 0))))
    return {
        "service_request_id": str(demand.pk),
        "status": "closed" if demand.status == DemandStatus.ANSWERED else "open",
        "status_notes": redact(demand.answer) or None,
        "service_name": _("Resident demand"),
        "service_code": SERVICE_CODE,
        "description": redact(demand.description),
        "agency_responsible": demand.unit.name,
        "service_notice": demand.get_status_display(),
        "requested_datetime": demand.created_at,
        "updated_datetime": updated,
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _public_demands():
    return Demand.objects.select_related("unit").only(
        "pk",
        "status",
        "answer",
        "answered_on",
        "description",
        "created_at",
        "received_on",
        "unit__name",
    )


def _listed(filters: RequestFilters) -> list[dict]:
    demands = _public_demands()
    if filters.service_code and filters.service_code != SERVICE_CODE:
        return []
    if filters.service_request_id:
        ids = [part.strip() for part in filters.service_request_id.split(",")]
        if not all(part.isdigit() and len(part) < 19 for part in ids):
            raise HttpError(400, _("service_request_id is a list of numbers, comma-separated."))
        demands = demands.filter(pk__in=[int(part) for part in ids])
    else:
        start, end = filters.start_date, filters.end_date
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
        if start is not None:
            demands = demands.filter(created_at__gte=start)
        if end is not None:
            demands = demands.filter(created_at__lte=end)
    if filters.status:
        wanted = {part.strip() for part in filters.status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise HttpError(400, _("status is open, closed or both, comma-separated."))
        if wanted == {"open"}:
            demands = demands.exclude(status=DemandStatus.ANSWERED)
        elif wanted == {"closed"}:
            demands = demands.filter(status=DemandStatus.ANSWERED)
    if filters.jurisdiction_id:
        unit = AdministrativeUnit.objects.filter(code=filters.jurisdiction_id).first()
        if unit is None:
            raise HttpError(404, _("No unit has this jurisdiction_id."))
        demands = demands.filter(unit__path__startswith=unit.path)
    if not 1 <= filters.page_size <= MAX_PAGE_SIZE or filters.page < 1:
        raise HttpError(400, _("page starts at 1; page_size is 1 to %d.") % MAX_PAGE_SIZE)
    # The spec's list is a bare array: no count, so a page costs one query whatever the total.
    start = (filters.page - 1) * filters.page_size
    rows = demands.order_by("-created_at", "-pk")[start : start + filters.page_size]
    return [_as_open311(demand) for demand in rows]


def _one(request_id: str) -> dict:
    demand = _public_demands().filter(pk=int(request_id)).first() if request_id.isdigit() else None
    if demand is None or len(request_id) > 18:
        raise HttpError(404, _("No service request has this id."))
    return _as_open311(demand)


def _token(token: str) -> dict:
    demand = Demand.objects.filter(tracking_code=token.strip().upper()[:16]).only("pk").first()
    if demand is None:
        raise HttpError(404, _("No service request has this token."))
    return {"service_request_id": str(demand.pk), "token": token}


@router.get("/services.json", response=list[Service], summary="Services")
def services_json(request):
    return _services()


@router.get("/services.xml", openapi_extra=XML_RESPONSE, summary="Services (XML)")
def services_xml(request):
    return xml_response("services", "service", _services())


@router.get("/requests.json", response=list[ServiceRequest], summary="Service requests")
def requests_json(request, filters: Query[RequestFilters]):
    return _listed(filters)


@router.get("/requests.xml", openapi_extra=XML_RESPONSE, summary="Service requests (XML)")
def requests_xml(request, filters: Query[RequestFilters]):
    return xml_response("service_requests", "request", _listed(filters))


@router.get("/requests/{request_id}.json", response=list[ServiceRequest], summary="One request")
def request_json(request, request_id: str):
    return [_one(request_id)]


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


def _form_errors(form: PublicDemandForm) -> str:
    names = {"description": "description", "address": "address_string", "photo": "media"}
    names |= {"contact_phone": "phone", "contact_name": "first_name/last_name"}
    return "; ".join(
        f"{names.get(field, field)}: {' '.join(str(m) for m in messages)}"
        for field, messages in form.errors.items()
    )


@router.post(
    "/requests.json",
    response={200: list[Created], 201: list[Created]},
    auth=API_KEY,
    summary="File a service request",
    description="Needs an API key (`api_key` field or `X-Api-Key` header). Photo: `media`.",
)
def request_create(
    request,
    data: Form[NewRequest],
    media: File[UploadedFile] = None,
    idempotency_key: Header[uuid.UUID | None] = None,
):
    if data.service_code != SERVICE_CODE:
        raise HttpError(404, _("No service has this service_code."))
    if data.media_url:
        raise HttpError(400, _("media_url is not fetched: upload the photo as media."))
    key = request.auth
    unit = _filing_unit(key.unit, data.jurisdiction_id)
    name = f"{data.last_name or ''}{data.first_name or ''}".strip()
    submission_key = (
        uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{key.pk}:{idempotency_key}")
        if idempotency_key
        else uuid.uuid4()
    )
    form = PublicDemandForm(
        {
            "unit": "",
            "address": (data.address_string or "").strip() or unit.name,
            "description": data.description,
            "contact_name": name,
            "contact_phone": data.phone or "",
            "submission_key": str(submission_key),
        },
        {"photo": media} if media is not None else {},
    )
    if not form.is_valid():
        raise HttpError(400, _form_errors(form))
    cleaned = form.cleaned_data
    if idempotency_key and not key.replays_same_body(idempotency_key, _body_digest(data, media)):
        raise HttpError(
            409,
            _(
                "This Idempotency-Key was sent before with a different request: "
                "use a new key for a new request."
            ),
        )
    demand, created = demand_submit(
        unit=unit,
        description=cleaned["description"],
        address=(data.address_string or "").strip(),
        contact_name=cleaned["contact_name"].strip(),
        contact_phone=cleaned["contact_phone"],
        photo=cleaned["photo"],
        submission_key=cleaned["submission_key"],
    )
    request.api_record = demand
    reply = {
        "service_request_id": str(demand.pk),
        "token": demand.tracking_code,
        "service_notice": _("Received: follow it with the token at %s.") % demand.tracking_url(),
        "account_id": None,
    }
    return Status(201 if created else 200, [reply])


open_data = Router(tags=["Livelihood projects"])


class ProjectOut(Schema):
    id: int
    title: str
    category: str | None
    unit: str
    unit_name: str
    proposed_on: date
    delivered_on: date | None
    cost: str | None
    funding_source: str
    beneficiaries: int | None
    url: str


class ProjectPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProjectOut]


class Paging(Schema):
    page: int = 1
    page_size: int = PAGE_SIZE


@open_data.get(
    "/units/{code}/projects", response=ProjectPage, summary="Delivered livelihood projects"
)
def delivered_projects(request, code: str, paging: Query[Paging]):
    """民生实事落地: projects delivered in the unit and the units below it, newest first."""
    from django.shortcuts import get_object_or_404
    from django.urls import reverse

    from consultation.models import LivelihoodProject

    if paging.page < 1 or not 1 <= paging.page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, _("page starts at 1; page_size is 1 to %d.") % MAX_PAGE_SIZE)
    unit = get_object_or_404(AdministrativeUnit.objects.active(), code=code)
    projects = (
        LivelihoodProject.objects.delivered()
        .filter(unit__path__startswith=unit.path)
        .select_related("unit", "category")
        .order_by("-delivered_on", "-id")
    )
    rows, total = page_of(projects, paging.page, paging.page_size)
    items = [
        {
            "id": p.pk,
            "title": redact(p.title),
            "category": p.category.name if p.category_id else None,
            "unit": p.unit.code,
            "unit_name": p.unit.name,
            "proposed_on": p.proposed_on,
            "delivered_on": p.delivered_on,
            "cost": None if p.cost is None else f"{p.cost:.2f}",
            "funding_source": redact(p.funding_source),
            "beneficiaries": p.beneficiaries,
            "url": reverse("public:project", kwargs={"code": p.unit.code, "pk": p.pk}),
        }
        for p in rows
    ]
    return {"count": total, "page": paging.page, "page_size": paging.page_size, "items": items}
