"""Staff pages of consultation (三会协商): demands, meetings, livelihood projects and their board,
12345 import, and the editable lists (platforms, project categories)."""

import pghistory
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Case, Count, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consultation.forms import (
    DemandAnswerAmendForm,
    DemandAnswerForm,
    DemandFilterForm,
    DemandLogForm,
    DemandRouteForm,
    MeetingForm,
    PlatformForm,
    ProgressForm,
    ProjectCategoryForm,
    ProjectEditForm,
    ProjectMoveForm,
    ProjectProposeForm,
    TicketImportForm,
)
from consultation.models import (
    STAGE_MEETING,
    Demand,
    DemandStatus,
    LivelihoodProject,
    Meeting,
    MeetingKind,
    Platform,
    ProjectCategory,
    ProjectStage,
    StageMove,
)
from consultation.roles import Action
from consultation.services.consultation import (
    MOVE_TARGETS,
    PROPOSABLE,
    demand_answer,
    demand_answer_amend,
    demand_log,
    demand_route,
    meeting_record,
    meetings_for_move,
    meetings_for_moves,
    progress_add,
    project_move,
    project_propose,
    project_update,
)
from consultation.tasks import hotline_report, import_hotline_tickets
from consultation.views.board import CardWriter
from core.forms.base import (
    add_service_errors,
    already_submitted,
    error_summary,
    save_once,
)
from core.models import (
    StaleVersion,
    may,
    units_for,
)
from core.privacy import masked_field, user_display_name
from core.redaction import redact
from core.timeline import timeline_for
from core.uploads import photo_response
from core.views.access import fragment_or_page, safe_next
from core.views.pagination import keyset_page
from core.views.queued import queue_upload, queued_run

BOARD_LIMIT = 24


def _require(request, action: str):
    units = units_for(request, action)
    if not units.exists():
        raise Http404
    return units


# Demands ------------------------------------------------------------------------------------


def demand_list(request: HttpRequest) -> HttpResponse:
    demands = Demand.objects.for_user(request.user).select_related("unit", "project")
    if not units_for(request, Action.VIEW).exists():
        raise Http404
    form = DemandFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["status"]:
            demands = demands.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["source"]:
            demands = demands.filter(source=form.cleaned_data["source"])
        if form.cleaned_data["waiting_at"]:
            demands = demands.filter(unit__level=form.cleaned_data["waiting_at"])
    page = keyset_page(demands, request, "received_on")
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_log": units_for(request, Action.LOG_DEMANDS).exists(),
        "can_import": units_for(request, Action.RUN_CONSULTATION).exists(),
    }
    return render(
        request,
        fragment_or_page(request, "consultation/demand_list.html", "results"),
        context,
    )


@require_http_methods(["GET", "POST"])
def demand_create(request: HttpRequest) -> HttpResponse:
    units = _require(request, Action.LOG_DEMANDS)
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = DemandLogForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            demand, done = save_once(
                request,
                key,
                lambda: demand_log(by=request.user, **data),
                "governance:demand_list",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:
            form.add_error("ticket_number", _("A demand with this 12345 ticket number exists."))
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Demand logged."))
            return redirect(demand.get_absolute_url())
    if units.count() == 1:
        form.fields["unit"].initial = units.first()
    return render(
        request,
        "consultation/demand_form.html",
        {"form": form, "error_summary": error_summary([form]) if form.is_bound else []},
    )


def _demand(request, pk: int, action: str = Action.VIEW) -> Demand:
    return get_object_or_404(
        Demand.objects.for_user(request.user, action).select_related("unit", "project"), pk=pk
    )


def _demand_context(request, demand: Demand, **forms) -> dict:
    handler = demand.status == DemandStatus.RECEIVED and Demand.objects.allows(
        request.user, Action.LOG_DEMANDS, demand
    )
    units = units_for(request, Action.LOG_DEMANDS)
    return {
        "demand": demand,
        "contact_name": masked_field(demand, "contact_name"),
        "contact_phone": masked_field(demand, "contact_phone"),
        "address": redact(demand.address),
        "handler": handler,
        "route_form": forms.get("route_form")
        or DemandRouteForm(
            initial={"version": demand.version, "unit": demand.unit_id},
            units=units,
            auto_id="route_%s",
        ),
        "can_amend": demand.answered_on is not None
        and Demand.objects.allows(request.user, Action.LOG_DEMANDS, demand),
        "amend_form": forms.get("amend_form")
        or DemandAnswerAmendForm(
            initial={"version": demand.version, "answer": demand.answer}, auto_id="amend_%s"
        ),
        "answer_form": forms.get("answer_form")
        or DemandAnswerForm(
            initial={"version": demand.version, "answered_on": timezone.localdate()},
            auto_id="answer_%s",
        ),
        "agenda": [
            (item, may(request.user, Action.VIEW, item.meeting.unit_id))
            for item in demand.agenda_items.select_related("meeting", "meeting__unit")
        ],
        # A grid worker sees the demands at their community's inbox, not its projects and
        # meetings: those show as text.
        "project_link": demand.project_id is not None
        and may(request.user, Action.VIEW, demand.project.unit_id),
        "timeline": timeline_for(demand),
        "conflict": forms.get("conflict"),
    }


def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _demand(request, pk)
    return render(request, "consultation/demand_detail.html", _demand_context(request, demand))


@require_POST
def demand_route_view(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _demand(request, pk, Action.LOG_DEMANDS)
    form = DemandRouteForm(
        request.POST, units=units_for(request, Action.LOG_DEMANDS), auto_id="route_%s"
    )
    if form.is_valid():
        try:
            routed = demand_route(by=request.user, demand=demand, **form.cleaned_data)
        except StaleVersion as stale:
            context = _demand_context(request, stale.current, conflict=stale.current)
            return render(request, "consultation/demand_detail.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Routed to %(unit)s.") % {"unit": routed.unit.name})
            if Demand.objects.allows(request.user, Action.VIEW, pk):
                return redirect(routed.get_absolute_url())
            return redirect("governance:demand_list")
    context = _demand_context(request, demand, route_form=form)
    return render(request, "consultation/demand_detail.html", context)


@require_POST
def demand_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _demand(request, pk, Action.LOG_DEMANDS)
    form = DemandAnswerForm(request.POST, auto_id="answer_%s")
    if form.is_valid():
        try:
            demand_answer(by=request.user, demand=demand, **form.cleaned_data)
        except StaleVersion as stale:
            context = _demand_context(request, stale.current, conflict=stale.current)
            return render(request, "consultation/demand_detail.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answer is saved; the resident sees it by their code."))
            return redirect(demand.get_absolute_url())
    context = _demand_context(request, demand, answer_form=form)
    return render(request, "consultation/demand_detail.html", context)


@require_POST
def demand_answer_amend_view(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _demand(request, pk, Action.LOG_DEMANDS)
    form = DemandAnswerAmendForm(request.POST, auto_id="amend_%s")
    if form.is_valid():
        try:
            demand_answer_amend(by=request.user, demand=demand, **form.cleaned_data)
        except StaleVersion as stale:
            context = _demand_context(request, stale.current, conflict=stale.current)
            return render(request, "consultation/demand_detail.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The answer is changed; the earlier one is kept in the history.")
            )
            return redirect(demand.get_absolute_url())
    context = _demand_context(request, demand, amend_form=form)
    return render(request, "consultation/demand_detail.html", context)


def demand_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return photo_response(_demand(request, pk).photo)


@require_http_methods(["GET", "POST"])
def demand_import(request: HttpRequest) -> HttpResponse:
    _require(request, Action.RUN_CONSULTATION)
    form = TicketImportForm(request.POST or None, request.FILES or None)
    run = queued_run(request, import_hotline_tickets)
    if request.method == "POST" and form.is_valid():
        run = queue_upload(request, import_hotline_tickets, form.cleaned_data["file"])
        return redirect(f"{reverse('governance:demand_import')}?task={run.id}")
    report = hotline_report(run.return_value) if run and run.status == "SUCCESSFUL" else None
    template = fragment_or_page(request, "consultation/demand_import.html", "result")
    return render(request, template, {"form": form, "run": run, "report": report})


# Meetings -----------------------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    if not units_for(request, Action.VIEW).exists():
        raise Http404
    meetings = Meeting.objects.for_user(request.user).select_related("unit", "platform")
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    page = keyset_page(meetings, request, "held_on")
    return render(
        request,
        "consultation/meeting_list.html",
        {
            "page": page,
            "kinds": MeetingKind.choices,
            "kind": kind,
            "query": f"kind={kind}" if kind else "",
            "can_run": units_for(request, Action.RUN_CONSULTATION).exists(),
        },
    )


def _meeting_form(request, units, data=None, files=None):
    paths = list(units.values_list("path", flat=True))
    open_demands = (
        Demand.objects.for_user(request.user)
        .filter(status__in=PROPOSABLE)
        # Those still open first, so answered ones never crowd them out of the list.
        .order_by(
            Case(When(status=DemandStatus.RECEIVED, then=0), default=1), "-received_on", "-pk"
        )
        .values_list("pk", flat=True)[:60]
    )
    open_projects = (
        LivelihoodProject.objects.for_user(request.user)
        .filter(stage__in=[ProjectStage.PROPOSED, ProjectStage.AGREED, ProjectStage.UNDER_WAY])
        .order_by("-proposed_on", "-pk")
        .values_list("pk", flat=True)[:60]
    )
    platforms = Platform.objects.usable().select_related("unit")
    codes = {c for p in paths for c in p.strip("/").split("/")}
    platforms = platforms.filter(unit__code__in=codes) | platforms.filter(
        unit__in=Platform.objects.for_user(request.user).values("unit")
    )
    return MeetingForm(
        data,
        files,
        units=units,
        platforms=platforms.distinct().order_by("unit__path", "name"),
        demands=Demand.objects.filter(pk__in=list(open_demands)).select_related("unit"),
        projects=LivelihoodProject.objects.filter(pk__in=list(open_projects)),
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    units = _require(request, Action.RUN_CONSULTATION)
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = _meeting_form(request, units, request.POST or None, request.FILES or None)
    if not form.is_bound:
        if kind := request.GET.get("kind"):
            form.initial["kind"] = kind
        if units.count() == 1:
            form.initial["unit"] = units.first()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            meeting, done = save_once(
                request,
                key,
                lambda: meeting_record(by=request.user, **data),
                "governance:meeting_list",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Meeting recorded."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "consultation/meeting_form.html",
        {"form": form, "error_summary": error_summary([form]) if form.is_bound else []},
    )


def _meeting(request, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("unit", "platform"), pk=pk
    )


def _meeting_context(request, meeting: Meeting, **forms) -> dict:
    can_run = may(request.user, Action.RUN_CONSULTATION, meeting.unit_id)
    agenda = list(
        meeting.agenda.select_related("demand", "demand__unit", "project", "project__unit")
    )
    open_demands = [a.demand for a in agenda if a.demand and a.demand.status in PROPOSABLE]
    propose_form = None
    if can_run and meeting.kind == MeetingKind.ANALYSIS and open_demands:
        propose_form = forms.get("propose_form") or ProjectProposeForm(
            units=units_for(request, Action.RUN_CONSULTATION),
            demands=Demand.objects.filter(pk__in=[d.pk for d in open_demands]),
            initial={"demands": [d.pk for d in open_demands], "unit": open_demands[0].unit_id},
            auto_id="propose_%s",
        )
    # Projects on the agenda this meeting may move on (agree, or set under way).
    movable = []
    for item in agenda:
        project = item.project
        if project is None or not can_run:
            continue
        target = project.next_stage()
        if (
            target
            and STAGE_MEETING.get(target) == meeting.kind
            and meeting.held_on >= project.proposed_on
        ):
            movable.append((project, target, ProjectStage(target).label))
    return {
        "meeting": meeting,
        "agenda": agenda,
        "can_run": can_run,
        "propose_form": propose_form,
        "movable": movable,
        "timeline": timeline_for(meeting),
    }


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "consultation/meeting_detail.html", _meeting_context(request, meeting))


def meeting_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return photo_response(_meeting(request, pk).photo)


@require_POST
def project_propose_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if done := already_submitted(request):
        return redirect(done)
    context = _meeting_context(request, meeting)
    if context["propose_form"] is None:
        raise Http404
    form = ProjectProposeForm(
        request.POST,
        units=units_for(request, Action.RUN_CONSULTATION),
        demands=context["propose_form"].fields["demands"].queryset,
        auto_id="propose_%s",
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            project, done = save_once(
                request,
                key,
                lambda: project_propose(by=request.user, meeting=meeting, **data),
                "governance:project_board",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Project proposed at this meeting."))
            return redirect(project.get_absolute_url())
    context = _meeting_context(request, meeting, propose_form=form)
    return render(request, "consultation/meeting_detail.html", context)


# Projects -----------------------------------------------------------------------------------

BOARD_STAGES = [
    ProjectStage.PROPOSED,
    ProjectStage.AGREED,
    ProjectStage.UNDER_WAY,
    ProjectStage.DELIVERED,
    ProjectStage.DROPPED,
]


def _move_form(request, project, target, data=None, meetings=None):
    """A stage move's form; `meetings`, when given, are its picker's meetings already found
    (the board finds every card's at once), else the picker asks for them."""
    form = ProjectMoveForm(
        data,
        meetings=(
            meetings_for_move(request.user, project, target)
            if meetings is None
            else Meeting.objects.filter(pk__in=[m.pk for m in meetings])
        ),
        initial={
            "to_stage": target,
            "version": project.version,
            "on": timezone.localdate(),
        },
        auto_id=f"move{project.pk}_{target}_%s",
    )
    if meetings is not None:
        field = form.fields["meeting"]
        field.choices = [("", field.empty_label)] + [
            (m.pk, field.label_from_instance(m)) for m in meetings
        ]
    return form


def _board_context(request, error: dict | None = None) -> dict:
    projects = LivelihoodProject.objects.for_user(request.user).select_related("unit", "category")
    can_run = units_for(request, Action.RUN_CONSULTATION).exists()
    runnable = set()
    if can_run:
        runnable = set(
            LivelihoodProject.objects.for_user(request.user, Action.RUN_CONSULTATION)
            .exclude(stage__in=[ProjectStage.DELIVERED, ProjectStage.DROPPED])
            .values_list("pk", flat=True)
        )
    shown = {}
    for stage in BOARD_STAGES:
        order = "-delivered_on" if stage == ProjectStage.DELIVERED else "-proposed_on"
        shown[stage] = list(projects.filter(stage=stage).order_by(order, "-pk")[:BOARD_LIMIT])
    totals = dict(
        projects.filter(stage__in=BOARD_STAGES)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Every card's move form with its meeting picker, from two queries for the whole board.
    moving = [
        (project, project.next_stage())
        for cards in shown.values()
        for project in cards
        if project.pk in runnable and project.next_stage()
    ]
    meetings = meetings_for_moves(request.user, moving)
    writer = CardWriter(request, meetings)
    columns = []
    for stage in BOARD_STAGES:
        cards = []
        for project in shown[stage]:
            target = project.next_stage()
            movable = project.pk in runnable and target
            form = (error or {}).get(project.pk) if movable else None
            if form:
                cards.append({"project": project, "target": target, "form": form})
            else:
                cards.append({"html": writer.card(project, movable and target)})
        columns.append(
            {"stage": stage, "label": stage.label, "cards": cards, "total": totals.get(stage, 0)}
        )
    return {"columns": columns, "limit": BOARD_LIMIT, "board_error": (error or {}).get("message")}


def project_board(request: HttpRequest) -> HttpResponse:
    if not units_for(request, Action.VIEW).exists():
        raise Http404
    return render(
        request,
        fragment_or_page(request, "consultation/project_board.html", "board"),
        _board_context(request),
    )


def _project(request, pk: int, action: str = Action.VIEW) -> LivelihoodProject:
    return get_object_or_404(
        LivelihoodProject.objects.for_user(request.user, action).select_related(
            "unit", "category", "proposed_at", "agreed_at", "started_at"
        ),
        pk=pk,
    )


def _project_context(request, project, **forms) -> dict:
    can_run = may(request.user, Action.RUN_CONSULTATION, project.unit_id)
    moves = []
    if can_run:
        for target in MOVE_TARGETS.get(project.stage, ()):
            moves.append(
                (
                    ProjectStage(target),
                    forms.get(f"move_{target}") or _move_form(request, project, target),
                )
            )
    return {
        "project": project,
        "can_run": can_run,
        "moves": moves,
        "stage_moves": project.moves.select_related("meeting", "by"),
        "progress": project.progress.select_related("by"),
        "demands": project.demands.select_related("unit"),
        "ratings": project.ratings.count(),
        "edit_form": forms.get("edit_form")
        or ProjectEditForm(
            initial={
                "version": project.version,
                "title": project.title,
                "category": project.category_id,
                "cost": project.cost,
                "funding_source": project.funding_source,
                "beneficiaries": project.beneficiaries,
            },
            auto_id="edit_%s",
        ),
        "progress_form": forms.get("progress_form") or ProgressForm(auto_id="progress_%s"),
        "timeline": timeline_for(project),
        "conflict": forms.get("conflict"),
    }


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return render(request, "consultation/project_detail.html", _project_context(request, project))


def _back(request, fallback: str) -> str:
    return safe_next(request, fallback)


@require_POST
def project_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.RUN_CONSULTATION)
    target = request.POST.get("to_stage", "")
    if target not in ProjectStage.values:
        raise Http404
    form = _move_form(request, project, target, request.POST)
    board = request.htmx and request.POST.get("from") == "board"
    if target not in MOVE_TARGETS.get(project.stage, ()):
        if StageMove.objects.filter(project=project, to_stage=target).exists():
            return _already_moved(request, project, target, board)
        message = _(
            "Stages move in order: proposed, agreed, under way, delivered (or dropped with a "
            "reason). This project is “%(stage)s”."
        ) % {"stage": project.get_stage_display()}
        if board:
            return _board_error(request, project, form, message)
        messages.error(request, message)
        return redirect(project.get_absolute_url())
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project_move(by=request.user, project=project, **data)
        except StaleVersion as stale:
            if stale.current.stage == target:
                return _already_moved(request, stale.current, target, board)
            if board:
                return _board_error(request, project, form, _conflict_message(stale.current))
            context = _project_context(request, stale.current, conflict=stale.current)
            return render(request, "consultation/project_detail.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_move(request, project, board)
    if board:
        return _board_error(request, project, form, _("The card was not moved: see the form."))
    context = _project_context(request, project, **{f"move_{target}": form})
    return render(request, "consultation/project_detail.html", context)


def _conflict_message(current) -> str:
    return _("Someone else moved “%(title)s” to “%(stage)s” first.") % {
        "title": current.title,
        "stage": current.get_stage_display(),
    }


def _already_moved(request, project, target: str, board: bool) -> HttpResponse:
    """The move asked for is made already (by someone else, or by this person in another tab
    or a double submit): the page says who made it and at which meeting."""
    move = (
        StageMove.objects.filter(project=project, to_stage=target)
        .select_related("meeting", "by")
        .last()
    )
    if move is None:
        return _after_move(request, project, board)
    message = _already_moved_message(move)
    if board:
        return _board_error(request, project, None, message)
    messages.warning(request, message)
    return _after_move(request, project, board)


def _already_moved_message(move: StageMove) -> str:
    words = {
        "title": move.project.title,
        "stage": move.get_to_stage_display(),
        "who": user_display_name(move.by),
        "on": date_format(move.on, "Y-m-d"),
    }
    if move.meeting:
        return _("%(who)s already moved “%(title)s” to “%(stage)s” at the %(meeting)s.") % {
            **words,
            "meeting": move.meeting,
        }
    return _("%(who)s already moved “%(title)s” to “%(stage)s” on %(on)s.") % words


def _after_move(request, project, board: bool) -> HttpResponse:
    if board:
        return render(
            request,
            "consultation/project_board.html#board",
            _board_context(request),
        )
    return redirect(_back(request, project.get_absolute_url()))


def _board_error(request, project, form, message) -> HttpResponse:
    context = _board_context(request, error={project.pk: form, "message": message})
    return render(request, "consultation/project_board.html#board", context)


@require_POST
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.RUN_CONSULTATION)
    form = ProjectEditForm(request.POST, request.FILES, auto_id="edit_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        photos = {name: data.pop(name) for name in ("photo_before", "photo_after")}
        try:
            project_update(by=request.user, project=project, photos=photos, **data)
        except StaleVersion as stale:
            context = _project_context(
                request, stale.current, conflict=stale.current, edit_form=form
            )
            return render(request, "consultation/project_detail.html", context, status=409)
        messages.success(request, _("Project saved."))
        return redirect(project.get_absolute_url())
    context = _project_context(request, project, edit_form=form)
    return render(request, "consultation/project_detail.html", context)


@require_POST
def progress_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.RUN_CONSULTATION)
    if done := already_submitted(request):
        return redirect(done)
    form = ProgressForm(request.POST, auto_id="progress_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        back = project.get_absolute_url() + "#progress"
        try:
            _progress, done = save_once(
                request,
                key,
                lambda: progress_add(by=request.user, project=project, **data),
                back,
                result=lambda _progress: back,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(done or back)
    context = _project_context(request, project, progress_form=form)
    return render(request, "consultation/project_detail.html", context)


def project_photo(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    project = _project(request, pk)
    field = {"before": project.photo_before, "after": project.photo_after}.get(which)
    return photo_response(field)


# Editable lists -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def consultation_lists(request: HttpRequest) -> HttpResponse:
    units = _require(request, Action.RUN_CONSULTATION)
    platform_form = PlatformForm(
        request.POST if request.POST.get("list") == "platform" else None,
        units=units.exclude(level="grid"),
        auto_id="platform_%s",
    )
    category_form = ProjectCategoryForm(
        request.POST if request.POST.get("list") == "category" else None, auto_id="category_%s"
    )
    # The category list is the district's, like the dispute categories: district staff edit it.
    may_categories = units_for(request, Action.MANAGE_UNITS).exists()
    if request.method == "POST":
        with pghistory.context(user=request.user.pk, reason="consultation_lists"):
            if platform_form.is_bound and platform_form.is_valid():
                data = platform_form.cleaned_data
                _platform, created = Platform.objects.get_or_create(
                    unit=data["unit"], name=data["name"]
                )
                if not created:
                    platform_form.add_error("name", _("This unit runs this platform already."))
                else:
                    return redirect("governance:consultation_lists")
            elif category_form.is_bound and may_categories and category_form.is_valid():
                ProjectCategory.objects.create(name=category_form.cleaned_data["name"])
                return redirect("governance:consultation_lists")
    return render(
        request,
        "consultation/lists.html",
        {
            "platforms": Platform.objects.for_user(request.user).select_related("unit"),
            "categories": ProjectCategory.objects.all(),
            "platform_form": platform_form,
            "category_form": category_form if may_categories else None,
        },
    )


@require_POST
def platform_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    platform = get_object_or_404(
        Platform.objects.for_user(request.user, Action.RUN_CONSULTATION), pk=pk
    )
    with pghistory.context(user=request.user.pk, reason="platform_toggle"):
        platform.active = not platform.active
        platform.save()
    return redirect("governance:consultation_lists")


@require_POST
def project_category_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.MANAGE_UNITS)
    category = get_object_or_404(ProjectCategory, pk=pk)
    with pghistory.context(user=request.user.pk, reason="project_category_toggle"):
        category.active = not category.active
        category.save()
    return redirect("governance:consultation_lists")
