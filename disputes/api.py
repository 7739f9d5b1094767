"""Safety hazards as Open311 services, one per hazard category (`hazard-fire`, `hazard-gas`, …):
a resident's app reports a hazard, and it lands on the grid's list of hazards as a report to
verify (disputes/models/hazards.py says why it counts in no figure until verified).

Its service_request_id is `H` and the hazard's number (demands keep their bare numbers), its
token a tracking code `YH…`. Only hazards the public reported are listed: those staff found are
work records, not requests. Status: closed once rectified or found not to be a hazard; the notes
are the rectification, or the check's note, through `redact` with the reporter's name masked."""

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from core.api import Open311Filters, Open311Service
from core.redaction import redact
from disputes.forms.hazards import PublicHazardForm
from disputes.models import Hazard, HazardCategory, HazardEvent, HazardSource
from disputes.models.hazards import new_hazard_token

MICRO_DEGREE = Decimal("0.000001")

__all__ = ["open311_service"]

PREFIX = "hazard-"
ID_PREFIX = "H"


def _codes() -> tuple[str, ...]:
    return tuple(PREFIX + value for value in HazardCategory.values)


def _descriptions() -> dict[str, str]:
    return {
        HazardCategory.FIRE: _("Blocked fire exits, piled-up rubbish in stairwells, broken "
                              "extinguishers or hydrants."),
        HazardCategory.GAS: _("A smell of gas, old or damaged gas pipes and hoses."),
        HazardCategory.ELECTRICITY: _("E-bikes charged indoors or in corridors, flying leads, "
                                      "bare or overloaded wiring."),
        HazardCategory.BUILDING: _("Cracked walls, loose tiles, railings or things that may "
                                   "fall from height."),
        HazardCategory.TRAFFIC: _("Missing manhole covers, broken road signs or lights, "
                                  "dangerous crossings."),
        HazardCategory.OTHER: _("Any other danger to residents' safety."),
    }  # fmt: skip


def _entries() -> list[dict]:
    descriptions = _descriptions()
    return [
        {
            "service_code": PREFIX + category.value,
            "service_name": _("Safety hazard: %s") % category.label,
            "description": descriptions[category]
            + " "
            + _("The grid worker checks it, then it is rectified by a deadline."),
            "metadata": False,
            "type": "realtime",
            "keywords": _("hazard, safety"),
            "group": _("Safety hazards"),
        }
        for category in HazardCategory
    ]


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 3)


def _status_notes(hazard: SimpleNamespace) -> str | None:
    names = (hazard.reporter_name,)
    if hazard.rectified_on:
        return redact(hazard.rectification, names) or None
    if hazard.verified_on:
        return redact(hazard.verification_note, names) or None
    return None


def _notice(hazard: SimpleNamespace) -> str:
    if hazard.rectified_on:
        return _("Rectified")
    if hazard.unfounded:
        return _("Checked: not a hazard")
    if hazard.verified_on:
        return _("Checked: to be rectified by %s") % hazard.deadline.isoformat()
    return _("Reported, to verify")


def _as_open311(row: dict) -> dict:
    hazard = SimpleNamespace(**row)
    closed = bool(hazard.rectified_on) or hazard.unfounded
    updated = max(filter(None, (hazard.reported_at, hazard.last_change)))
    expected = None
    if hazard.deadline and not closed:
        expected = timezone.make_aware(datetime.combine(hazard.deadline, time(0, 0)))
    return {
        "service_request_id": f"{ID_PREFIX}{hazard.pk}",
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(hazard),
        "service_name": _("Safety hazard: %s") % HazardCategory(hazard.category).label,
        "service_code": PREFIX + hazard.category,
        "description": redact(hazard.description, (hazard.reporter_name,)),
        "agency_responsible": hazard.unit__name,
        "service_notice": _notice(hazard),
        "requested_datetime": hazard.reported_at,
        "updated_datetime": updated,
        "expected_datetime": expected,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": _rounded(hazard.latitude),
        "long": _rounded(hazard.longitude),
        "media_url": None,
    }


# What a row is read from: plain values, not model instances.
FIELDS = (
    "pk",
    "category",
    "description",
    "reporter_name",
    "reported_at",
    "deadline",
    "verified_on",
    "unfounded",
    "verification_note",
    "rectified_on",
    "rectification",
    "latitude",
    "longitude",
    "unit__name",
    "last_change",
)


def _reports():
    """The public's reports, with the time of each one's newest change (check, rectification)."""
    newest = HazardEvent.objects.filter(pgh_obj_id=OuterRef("pk")).order_by("-pgh_created_at")
    return Hazard.objects.filter(source=HazardSource.PUBLIC).annotate(
        last_change=Subquery(newest.values("pgh_created_at")[:1])
    )


def _listed(filters: Open311Filters, limit: int) -> list[dict]:
    reports = _reports()
    if filters.ids:
        numbers = [i[1:] for i in filters.ids if i[:1] in "Hh" and i[1:].isdigit()]
        reports = reports.filter(pk__in=[int(n) for n in numbers if len(n) < 19])
    if filters.codes:
        reports = reports.filter(
            category__in=[c.removeprefix(PREFIX) for c in filters.codes if c.startswith(PREFIX)]
        )
    if filters.start is not None:
        reports = reports.filter(reported_at__gte=filters.start)
    if filters.end is not None:
        reports = reports.filter(reported_at__lte=filters.end)
    closed = Q(rectified_on__isnull=False) | Q(unfounded=True)
    if filters.statuses == {"open"}:
        reports = reports.exclude(closed)
    elif filters.statuses == {"closed"}:
        reports = reports.filter(closed)
    if filters.unit is not None:
        reports = reports.filter(unit__path__startswith=filters.unit.path)
    rows = reports.order_by("-reported_at", "-pk").values(*FIELDS)[:limit]
    return [_as_open311(row) for row in rows]


def _one(request_id: str) -> dict | None:
    number = request_id[1:]
    if request_id[:1] not in "Hh" or not number.isdigit() or len(number) > 18:
        return None
    hazard = _reports().filter(pk=int(number)).values(*FIELDS).first()
    return None if hazard is None else _as_open311(hazard)


def _by_token(token: str) -> str | None:
    pk = Hazard.objects.filter(tracking_code=token.upper()[:16]).values_list("pk", flat=True)
    pk = pk.first()
    return None if pk is None else f"{ID_PREFIX}{pk}"


def _form_errors(form: PublicHazardForm) -> str:
    names = {"place": "address_string", "photo": "media", "reporter_phone": "phone"}
    names |= {"reporter_name": "first_name/last_name"}
    return "; ".join(
        f"{names.get(field, field)}: {' '.join(str(m) for m in messages)}"
        for field, messages in form.errors.items()
    )


def _file(*, unit, code, data, point, media, submission_key):
    """The report, as the grid will see it: awaiting verification, in the unit it was filed for."""
    if done := Hazard.objects.filter(submission_key=submission_key).first():
        return done, False, _reply(done)
    place = (data.address_string or "").strip()
    if not place and point is not None:
        place = _("At %(lat).5f, %(long).5f") % {"lat": point[0], "long": point[1]}
    form = PublicHazardForm(
        {
            "place": place,
            "description": data.description,
            "reporter_name": f"{data.last_name or ''}{data.first_name or ''}".strip(),
            "reporter_phone": data.phone or "",
        },
        {"photo": media} if media is not None else {},
    )
    if not form.is_valid():
        if "place" in form.errors and not place:
            raise HttpError(400, _("address_string: say where it is, or give lat and long."))
        raise HttpError(400, _form_errors(form))
    cleaned = form.cleaned_data
    now = timezone.now()
    hazard = Hazard(
        unit=unit,
        category=code.removeprefix(PREFIX),
        place=cleaned["place"],
        description=cleaned["description"],
        found_on=timezone.localdate(now),
        source=HazardSource.PUBLIC,
        reporter_name=cleaned["reporter_name"].strip(),
        reporter_phone=cleaned["reporter_phone"],
        reported_at=now,
        tracking_code=new_hazard_token(),
        submission_key=submission_key,
    )
    if point is not None:
        hazard.latitude, hazard.longitude = (
            Decimal(str(v)).quantize(MICRO_DEGREE, ROUND_HALF_UP) for v in point
        )
    try:
        with transaction.atomic(), pghistory.context(reason="hazard_report_public"):
            if cleaned["photo"]:
                hazard.photo.save(cleaned["photo"].name, cleaned["photo"], save=False)
            hazard.save()
    except IntegrityError:
        # The same submission at the same moment: the other request made it.
        done = Hazard.objects.get(submission_key=submission_key)
        return done, False, _reply(done)
    return hazard, True, _reply(hazard)


def _reply(hazard: Hazard) -> dict:
    return {
        "service_request_id": f"{ID_PREFIX}{hazard.pk}",
        "token": hazard.tracking_code,
        "service_notice": _(
            "Received: the grid worker will check it. Follow it with GET requests/%s."
        )
        % f"{ID_PREFIX}{hazard.pk}",
    }


open311_service = Open311Service(
    codes=_codes(),
    entries=_entries,
    listed=_listed,
    one=_one,
    by_token=_by_token,
    file=_file,
    order=20,
)
