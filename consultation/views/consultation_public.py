"""Public consultation pages (no login): send a demand, track it by its code, rate the delivered
project, and read a unit's delivered projects. None of them carries personal data.

Abuse: each client address may send a few demands an hour and look up a limited number of codes
(Django's cache counts both); the form carries a honeypot and caps every size; a code is found
only when typed exactly, and a wrong code answers like any other wrong code.
"""

import contextlib
import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultation.forms import PublicDemandForm, RatingForm, TrackForm, normalise_code
from consultation.models import Demand, LivelihoodProject, ProjectStage
from consultation.services.consultation import demand_submit, rating_add
from core.client import client_address
from core.models import AdministrativeUnit, UnitLevel
from core.public_pages import cached_public
from core.redaction import redact
from core.thumbnails import stored_thumbnail
from core.uploads import photo_response
from core.views.pagination import keyset_page

__all__ = [
    "public_demand_new",
    "public_track",
    "public_demand_track",
    "public_rate",
    "public_projects",
    "public_projects_all",
    "public_project",
    "public_project_photo",
    "project_for_decision",
    "SUBMIT_LIMIT",
    "LOOKUP_LIMIT",
]

# (how many, per how many seconds) per client address.
SUBMIT_LIMIT = (5, 3600)
LOOKUP_LIMIT = (30, 600)


def over_limit(request, bucket: str, limit: tuple[int, int]) -> bool:
    """Count one more use of `bucket` by this address; True once the limit is passed."""
    allowed, seconds = limit
    address = hashlib.sha256((client_address(request) or "unknown").encode()).hexdigest()[:32]
    key = f"ratelimit:{bucket}:{address}"
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    return used > allowed


def _too_many(request) -> HttpResponse:
    response = render(request, "consultation/public/too_many.html", status=429)
    response["Retry-After"] = "600"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def public_demand_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "consultation/public/demand_form.html", {"form": PublicDemandForm()})
    if over_limit(request, "demand", SUBMIT_LIMIT):
        return _too_many(request)
    form = PublicDemandForm(request.POST, request.FILES)
    if form.is_bot:
        form = PublicDemandForm(request.POST)
        form.is_valid()
        form.add_error(None, _("Your demand could not be accepted. Please try again later."))
        return render(request, "consultation/public/demand_form.html", {"form": form}, status=400)
    if form.is_valid():
        data = form.cleaned_data
        unit = (
            data["unit"] or AdministrativeUnit.objects.active().filter(parent__isnull=True).first()
        )
        demand, _created = demand_submit(
            unit=unit,
            description=data["description"],
            address=data["address"].strip(),
            contact_name=data["contact_name"].strip(),
            contact_phone=data["contact_phone"],
            photo=data["photo"],
            submission_key=data["submission_key"],
        )
        return redirect(demand.tracking_url() + "?new=1")
    return render(request, "consultation/public/demand_form.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, "lookup", LOOKUP_LIMIT):
            return _too_many(request)
        if form.is_valid():
            if Demand.objects.filter(tracking_code=form.cleaned_data["code"]).exists():
                return redirect("public:demand_track", code=form.cleaned_data["code"])
            form.add_error("code", _("No demand has this code. Check it letter by letter."))
    return _private(render(request, "consultation/public/track.html", {"form": form}))


def _tracked(request, code: str) -> Demand:
    code = normalise_code(code)
    demand = (
        Demand.objects.select_related("unit", "project", "project__unit", "project__category")
        .filter(tracking_code=code)
        .first()
    )
    if demand is None:
        raise Http404
    return demand


def _steps(demand: Demand) -> list[dict]:
    """What the resident sees: dates and stages, never who sent it or how to reach them."""
    steps = [{"label": _("Received"), "on": demand.received_on, "done": True}]
    project = demand.project
    if project is not None:
        for move in project.moves.select_related("meeting"):
            label = move.get_to_stage_display()
            if move.meeting is not None:
                label = f"{label} · {move.meeting.get_kind_display()}"
            steps.append({"label": label, "on": move.on, "done": True})
    if demand.answered_on:
        steps.append({"label": _("Answered"), "on": demand.answered_on, "done": True})
    return steps


@login_not_required
@never_cache
@require_GET
def public_demand_track(request: HttpRequest, code: str) -> HttpResponse:
    if over_limit(request, "lookup", LOOKUP_LIMIT):
        return _too_many(request)
    demand = _tracked(request, code)
    return _private(
        render(request, "consultation/public/demand_track.html", _track_context(request, demand))
    )


def _track_context(request, demand: Demand, rating_form=None) -> dict:
    project = demand.project
    can_rate = (
        project is not None
        and project.stage == ProjectStage.DELIVERED
        and not hasattr(demand, "rating")
    )
    return {
        "demand": demand,
        "project": project,
        "steps": _steps(demand),
        "new": request.GET.get("new") == "1",
        "rating_form": (rating_form or RatingForm()) if can_rate else None,
        "rated": getattr(demand, "rating", None) if hasattr(demand, "rating") else None,
    }


@login_not_required
@require_POST
def public_rate(request: HttpRequest, code: str) -> HttpResponse:
    if over_limit(request, "lookup", LOOKUP_LIMIT):
        return _too_many(request)
    demand = _tracked(request, code)
    form = RatingForm(request.POST)
    if form.is_valid():
        # Already rated, or not delivered: the page then says where it stands.
        with contextlib.suppress(ValidationError):
            rating_add(demand=demand, **form.cleaned_data)
        return redirect(demand.tracking_url())
    context = _track_context(request, demand, rating_form=form)
    return _private(render(request, "consultation/public/demand_track.html", context))


PUBLIC_LEVELS = [UnitLevel.DISTRICT, UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE]


@login_not_required
@require_GET
def public_projects_all(request: HttpRequest) -> HttpResponse:
    """The district's delivered projects: the public side's one address for them."""
    district = AdministrativeUnit.objects.active().filter(parent__isnull=True).first()
    if district is None:
        raise Http404
    return public_projects(request, district.code)


@login_not_required
@require_GET
def public_projects(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(
        AdministrativeUnit.objects.active().filter(level__in=PUBLIC_LEVELS), code=code
    )
    projects = (
        LivelihoodProject.objects.delivered()
        .filter(unit__path__startswith=unit.path)
        .select_related("unit", "category")
        .annotate(
            rated=Count("ratings"),
            satisfied=Count("ratings", filter=Q(ratings__score__gte=4)),
        )
    )
    page = keyset_page(projects, request, "delivered_on")
    return render(
        request,
        "consultation/public/projects.html",
        {
            "unit": unit,
            "page": page,
            "rows": _delivered_rows(page.rows),
            "total": LivelihoodProject.objects.delivered()
            .filter(unit__path__startswith=unit.path)
            .count(),
            "children": AdministrativeUnit.objects.active()
            .filter(parent=unit, level__in=PUBLIC_LEVELS)
            .order_by("code"),
        },
    )


def _delivered_rows(projects) -> list[SafeString]:
    """The list's rows written here rather than by the template: per row it cost a `{% url %}`,
    four translations and a dozen lookups, most of the page's time."""
    link = reverse("public:project", kwargs={"code": "0", "pk": 0})
    yuan = conditional_escape(_("yuan"))
    rows = []
    for project in projects:
        meta = [
            project.delivered_on.isoformat(),
            conditional_escape(project.unit.name),
            conditional_escape(project.category.name),
        ]
        if project.beneficiaries:
            meta.append(_("%(n)s beneficiaries") % {"n": _number(project.beneficiaries)})
        if project.cost:
            meta.append(f"{_number(project.cost)} {yuan}")
        if project.funding_source:
            meta.append(conditional_escape(redact(project.funding_source)))
        if project.rated:
            meta.append(
                _("%(s)s of %(n)s ratings satisfied")
                % {"s": _number(project.satisfied), "n": _number(project.rated)}
            )
        href = link.replace("/0/0/", f"/{project.unit.code}/{project.pk}/")
        rows.append(
            mark_safe(  # noqa: S308 -- every part is escaped or our own markup
                f'<li class="demand-item"><a class="project-link" href="{href}">'
                f"{conditional_escape(redact(project.title))}</a>\n"
                f'      <p class="meta">{" · ".join(meta)}</p></li>'
            )
        )
    return rows


def _number(value) -> str:
    return conditional_escape(localize(value))


def _delivered(code: str, pk: int) -> LivelihoodProject:
    return get_object_or_404(
        LivelihoodProject.objects.delivered()
        .filter(unit__level__in=PUBLIC_LEVELS, unit__retired_on__isnull=True)
        .select_related("unit", "unit__parent", "category"),
        pk=pk,
        unit__code=code,
    )


# What each stage means to a resident, and the meeting that makes the move.
STAGE_STEPS = {
    ProjectStage.PROPOSED: gettext_lazy("Raised at the public-sentiment analysis meeting"),
    ProjectStage.AGREED: gettext_lazy("Decided at the open deliberation meeting"),
    ProjectStage.UNDER_WAY: gettext_lazy("Work started"),
    ProjectStage.DELIVERED: gettext_lazy("Delivered"),
}


def project_timeline(project: LivelihoodProject) -> list[dict]:
    """From the first demand to delivery, with dates; never who asked, who decided or where
    they live."""
    steps = []
    demands = project.demands.count()
    if project.first_demand_on:
        steps.append(
            {
                "label": _("Residents' demand received"),
                "on": project.first_demand_on,
                "note": _("%(n)s demands in all") % {"n": demands} if demands > 1 else "",
            }
        )
    moves = list(project.moves.select_related("meeting").order_by("on", "id"))
    seen = set()
    for move in moves:
        if move.to_stage not in STAGE_STEPS or move.to_stage in seen:
            continue
        seen.add(move.to_stage)
        # The first two labels name their meeting already; work starts after a follow-up one.
        named = move.to_stage == ProjectStage.UNDER_WAY and move.meeting is not None
        note = move.meeting.get_kind_display() if named else ""
        steps.append({"label": STAGE_STEPS[move.to_stage], "on": move.on, "note": note})
    if ProjectStage.PROPOSED not in seen:
        steps.insert(
            1 if project.first_demand_on else 0,
            {"label": STAGE_STEPS[ProjectStage.PROPOSED], "on": project.proposed_on, "note": ""},
        )
    if ProjectStage.DELIVERED not in seen and project.delivered_on:
        steps.append(
            {"label": STAGE_STEPS[ProjectStage.DELIVERED], "on": project.delivered_on, "note": ""}
        )
    return steps


def _project_description(project: LivelihoodProject) -> str:
    return _(
        "%(title)s, a livelihood project of %(unit)s delivered on %(day)s: before and after "
        "photos and its steps from the residents' demand to delivery."
    ) % {
        "title": redact(project.title),
        "unit": project.unit.name,
        "day": project.delivered_on.isoformat() if project.delivered_on else "",
    }


@login_not_required
@require_GET
def public_project(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    project = _delivered(code, pk)

    def build():
        ratings = project.ratings.aggregate(
            rated=Count("id"), satisfied=Count("id", filter=Q(score__gte=4))
        )
        context = {
            "project": project,
            "steps": project_timeline(project),
            "rated": ratings["rated"],
            "satisfied": ratings["satisfied"],
            "photos": [
                {"which": which, "label": label}
                for which, label, field in (
                    ("before", _("Before"), project.photo_before),
                    ("after", _("After delivery"), project.photo_after),
                )
                if field
            ],
        }
        return render_to_string("consultation/public/project.html#body", context)

    body = cached_public("project", [pk], build)
    return render(
        request,
        "consultation/public/project.html",
        {
            "project": project,
            "body": mark_safe(body),  # noqa: S308 -- our own rendered template
            "description": _project_description(project),
        },
    )


@login_not_required
@require_GET
def public_project_photo(
    request: HttpRequest, code: str, pk: int, which: str, size: str
) -> HttpResponse:
    project = _delivered(code, pk)
    field = {"before": project.photo_before, "after": project.photo_after}.get(which)
    if not field or size not in ("full", "thumb"):
        raise Http404
    return photo_response(stored_thumbnail(field) if size == "thumb" else field, private=False)


def project_for_decision(unit, name: str) -> str | None:
    """The public page of the delivered project a village decision names (core.public_pages)."""
    project = (
        LivelihoodProject.objects.delivered()
        .filter(unit=unit, title=name)
        .order_by("-delivered_on", "-pk")
        .first()
    )
    if project is None:
        return None
    return reverse("public:project", args=[unit.code, project.pk])
