"""Residents' demands as an Open311 service (the `interfaces` app serves all services at
/open311/v2/), and delivered livelihood projects in the open-data API.

A request filed over Open311 with the service code `demand` is the same demand as one sent from
the public form: the same form checks it and the same service makes it (`demand_submit`), so it
is tracked, routed, met on and answered like any other. Its service_request_id is the demand's
number, its token the tracking code. What is read back carries no name, phone or address: the
description and answer pass through `redact` with the demand's contact name masked."""

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from consultation.forms import PublicDemandForm
from consultation.models import Demand, DemandEvent, DemandStatus
from core.api import MAX_PAGE_SIZE, PAGE_SIZE, Open311Filters, Open311Service, page_of
from core.models import AdministrativeUnit
from core.redaction import redact

__all__ = ["open_data", "open311_service"]

SERVICE_CODE = "demand"


def _entries() -> list[dict]:
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


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 3)


# What a row is read from: plain values, not model instances (a page of them costs half as much).
FIELDS = (
    "pk",
    "status",
    "answer",
    "answered_on",
    "description",
    "contact_name",
    "latitude",
    "longitude",
    "created_at",
    "unit__name",
    "last_change",
)


def _with_last_change(demands):
    """The time of each demand's newest history event: routing, an answer or its change."""
    newest = DemandEvent.objects.filter(pgh_obj_id=OuterRef("pk")).order_by("-pgh_created_at")
    return demands.annotate(last_change=Subquery(newest.values("pgh_created_at")[:1]))


def _as_open311(demand: dict) -> dict:
    updated = max(filter(None, (demand["created_at"], demand["last_change"])))
    names = (demand["contact_name"],)
    return {
        "service_request_id": str(demand["pk"]),
        "status": "closed" if demand["status"] == DemandStatus.ANSWERED else "open",
        "status_notes": redact(demand["answer"], names) or None,
        "service_name": _("Resident demand"),
        "service_code": SERVICE_CODE,
        "description": redact(demand["description"], names),
        "agency_responsible": demand["unit__name"],
        "service_notice": str(DemandStatus(demand["status"]).label),
        "requested_datetime": demand["created_at"],
        "updated_datetime": updated,
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": _rounded(demand["latitude"]),
        "long": _rounded(demand["longitude"]),
        "media_url": None,
    }


def _listed(filters: Open311Filters, limit: int) -> list[dict]:
    demands = Demand.objects.all()
    if filters.ids:
        demands = demands.filter(pk__in=[int(i) for i in filters.ids if i.isdigit()])
    if filters.start is not None:
        demands = demands.filter(created_at__gte=filters.start)
    if filters.end is not None:
        demands = demands.filter(created_at__lte=filters.end)
    if filters.statuses == {"open"}:
        demands = demands.exclude(status=DemandStatus.ANSWERED)
    elif filters.statuses == {"closed"}:
        demands = demands.filter(status=DemandStatus.ANSWERED)
    if filters.unit is not None:
        demands = demands.filter(unit__path__startswith=filters.unit.path)
    rows = _with_last_change(demands).order_by("-created_at", "-pk").values(*FIELDS)[:limit]
    return [_as_open311(row) for row in rows]


def _one(request_id: str) -> dict | None:
    if not request_id.isdigit() or len(request_id) > 18:
        return None
    demand = _with_last_change(Demand.objects.filter(pk=int(request_id))).values(*FIELDS).first()
    return None if demand is None else _as_open311(demand)


def _by_token(token: str) -> str | None:
    pk = (
        Demand.objects.filter(tracking_code=token.upper()[:16]).values_list("pk", flat=True).first()
    )
    return None if pk is None else str(pk)


def _form_errors(form: PublicDemandForm) -> str:
    names = {"description": "description", "address": "address_string", "photo": "media"}
    names |= {"contact_phone": "phone", "contact_name": "first_name/last_name"}
    return "; ".join(
        f"{names.get(field, field)}: {' '.join(str(m) for m in messages)}"
        for field, messages in form.errors.items()
    )


def _file(*, unit, code, data, point, media, submission_key):
    from consultation.services.consultation import demand_submit

    name = f"{data.last_name or ''}{data.first_name or ''}".strip()
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
    demand, created = demand_submit(
        unit=unit,
        description=cleaned["description"],
        address=(data.address_string or "").strip(),
        contact_name=cleaned["contact_name"].strip(),
        contact_phone=cleaned["contact_phone"],
        photo=cleaned["photo"],
        submission_key=cleaned["submission_key"],
        point=point,
    )
    reply = {
        "service_request_id": str(demand.pk),
        "token": demand.tracking_code,
        "service_notice": _("Received: follow it with the token at %s.") % demand.tracking_url(),
    }
    return demand, created, reply


open311_service = Open311Service(
    codes=(SERVICE_CODE,),
    entries=_entries,
    listed=_listed,
    one=_one,
    by_token=_by_token,
    file=_file,
    order=10,
)


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
