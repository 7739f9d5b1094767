"""The consultation workflow (三会协商): a demand is taken in and routed; a 民情分析会 raises it and
proposes a livelihood project; a 阳光议事会 agrees it; a 协商推进会 sets it under way; it is
delivered (or dropped with a reason), and every demand behind it gets its answer.

Each write checks the user's scope, runs in one transaction and tells pghistory who and why.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import (
    STAGE_MEETING,
    AgendaItem,
    Demand,
    DemandSource,
    DemandStatus,
    LivelihoodProject,
    Meeting,
    ProgressEntry,
    ProjectRating,
    ProjectStage,
    StageMove,
    new_tracking_code,
)
from consultation.roles import Action
from core.models import AdministrativeUnit, may
from core.public_pages import public_changed

MICRO_DEGREE = Decimal("0.000001")

__all__ = [
    "demand_submit",
    "demand_log",
    "demand_route",
    "demand_answer",
    "demand_answer_amend",
    "PROPOSABLE",
    "meeting_record",
    "project_propose",
    "project_move",
    "project_update",
    "progress_add",
    "rating_add",
    "same_branch",
    "meetings_for_move",
    "MOVE_TARGETS",
]

# A demand answered directly may still go to a 民情分析会 and be taken up as a project; its
# answer and the day it counts as answered stay until the project's own answer replaces them.
PROPOSABLE = (DemandStatus.RECEIVED, DemandStatus.ANSWERED)

# The moves a project may make from each stage: the next stage in order, or dropped.
MOVE_TARGETS = {
    ProjectStage.PROPOSED: (ProjectStage.AGREED, ProjectStage.DROPPED),
    ProjectStage.AGREED: (ProjectStage.UNDER_WAY, ProjectStage.DROPPED),
    ProjectStage.UNDER_WAY: (ProjectStage.DELIVERED, ProjectStage.DROPPED),
}


def same_branch(a: AdministrativeUnit, b: AdministrativeUnit) -> bool:
    """One unit lies within the other (a street's meeting may weigh a community's project)."""
    return a.path.startswith(b.path) or b.path.startswith(a.path)


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _save_photo(record, field: str, photo) -> None:
    if photo:
        getattr(record, field).save(photo.name, photo, save=False)


def _with_fresh_code(make):
    """Create a record with a tracking code; on the (astronomically rare) clash, draw again."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return make(new_tracking_code())
        except IntegrityError as error:
            if "tracking_code" not in str(error):
                raise
    raise RuntimeError("no free tracking code")


def demand_submit(
    *,
    unit: AdministrativeUnit,
    description: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    photo=None,
    submission_key=None,
    point: tuple[float, float] | None = None,
) -> tuple[Demand, bool]:
    """A resident's demand from the public form (or an app over Open311, with its `point`,
    (lat, long)). Returns (demand, created): a repeated submit of the same form (same key)
    returns the demand the first one made."""
    if submission_key and (done := Demand.objects.filter(submission_key=submission_key).first()):
        return done, False

    def make(code):
        with pghistory.context(reason="demand_submit_public"):
            demand = Demand(
                tracking_code=code,
                unit=unit,
                source=DemandSource.ONLINE,
                received_on=timezone.localdate(),
                description=description,
                address=address,
                contact_name=contact_name,
                contact_phone=contact_phone,
                submission_key=submission_key,
            )
            if point is not None:
                demand.latitude, demand.longitude = (
                    Decimal(str(v)).quantize(MICRO_DEGREE, ROUND_HALF_UP) for v in point
                )
            _save_photo(demand, "photo", photo)
            demand.save()
            return demand

    try:
        return _with_fresh_code(make), True
    except IntegrityError:
        # The same key submitted twice at once: the other request made it.
        return Demand.objects.get(submission_key=submission_key), False


def demand_log(
    *,
    by,
    unit: AdministrativeUnit,
    source: str,
    received_on: date,
    description: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    photo=None,
    ticket_number: str | None = None,
) -> Demand:
    if not may(by, Action.LOG_DEMANDS, unit):
        raise PermissionDenied
    _not_future(received_on, "received_on")

    def make(code):
        with pghistory.context(user=by.pk, reason="demand_log"):
            demand = Demand(
                tracking_code=code,
                unit=unit,
                source=source,
                received_on=received_on,
                description=description,
                address=address,
                contact_name=contact_name,
                contact_phone=contact_phone,
                ticket_number=ticket_number or None,
                created_by=by,
            )
            _save_photo(demand, "photo", photo)
            demand.save()
            return demand

    return _with_fresh_code(make)


def demand_route(*, by, demand: Demand, unit: AdministrativeUnit, version: int) -> Demand:
    """Send the demand to the unit that will handle it (inside the user's reach)."""
    if not may(by, Action.LOG_DEMANDS, unit):
        raise ValidationError({"unit": _("You cannot route a demand to this unit.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="demand_route"):
        current = Demand.lock_at_version(demand.pk, version)
        if current.status != DemandStatus.RECEIVED:
            raise ValidationError({"unit": _("Only a demand still open can be routed.")})
        current.unit = unit
        current.save()
        return current


def demand_answer(*, by, demand: Demand, answer: str, answered_on: date, version: int) -> Demand:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer to the resident.")})
    _not_future(answered_on, "answered_on")
    if answered_on < demand.received_on:
        raise ValidationError(
            {"answered_on": _("A demand cannot be answered before it was received.")}
        )
    with transaction.atomic(), pghistory.context(user=by.pk, reason="demand_answer"):
        current = Demand.lock_at_version(demand.pk, version)
        if current.status != DemandStatus.RECEIVED:
            raise ValidationError(
                {"answer": _("This demand is already answered or taken up as a project.")}
            )
        current.status = DemandStatus.ANSWERED
        current.answer = answer.strip()
        current.answered_on = answered_on
        current.save()
        return current


def demand_answer_amend(*, by, demand: Demand, answer: str, reason: str, version: int) -> Demand:
    """Change the answer a resident was given; the day it was first answered stays (it is when
    the demand counts as answered), and pghistory keeps every earlier answer with who and why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is changed.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer to the resident.")})
    with (
        transaction.atomic(),
        pghistory.context(user=by.pk, reason=f"demand_answer_amend: {reason.strip()}"),
    ):
        current = Demand.lock_at_version(demand.pk, version)
        if current.answered_on is None:
            raise ValidationError({"answer": _("This demand has not been answered yet.")})
        if current.answer == answer.strip():
            raise ValidationError({"answer": _("The answer is the same as before.")})
        current.answer = answer.strip()
        current.save()
        return current


def meeting_record(*, by, unit: AdministrativeUnit, demands=(), projects=(), photo=None, **fields):
    """Record a meeting with its agenda: the demands and projects it took up."""
    if not may(by, Action.RUN_CONSULTATION, unit):
        raise PermissionDenied
    _not_future(fields["held_on"], "held_on")
    platform = fields.get("platform")
    if platform is not None and not unit.path.startswith(platform.unit.path):
        raise ValidationError({"platform": _("This platform is not run for this unit.")})
    for demand in demands:
        if not same_branch(demand.unit, unit):
            raise ValidationError({"demands": _("A demand on the agenda lies outside this unit.")})
    for project in projects:
        if not same_branch(project.unit, unit):
            raise ValidationError(
                {"projects": _("A project on the agenda lies outside this unit.")}
            )
    with transaction.atomic(), pghistory.context(user=by.pk, reason="meeting_record"):
        meeting = Meeting(unit=unit, created_by=by, **fields)
        _save_photo(meeting, "photo", photo)
        meeting.save()
        AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, demand=d) for d in demands]
            + [AgendaItem(meeting=meeting, project=p) for p in projects]
        )
    return meeting


def project_propose(
    *,
    by,
    meeting: Meeting,
    title: str,
    category,
    unit: AdministrativeUnit,
    demands=(),
    cost=None,
    funding_source: str = "",
) -> LivelihoodProject:
    """A 民情分析会 proposes a project from the demands it raised."""
    if not may(by, Action.RUN_CONSULTATION, unit):
        raise ValidationError({"unit": _("You cannot run projects of this unit.")})
    if STAGE_MEETING[ProjectStage.PROPOSED] != meeting.kind:
        raise ValidationError({"meeting": _("A project is proposed at a 民情分析会.")})
    if not same_branch(meeting.unit, unit):
        raise ValidationError({"unit": _("The project's unit lies outside the meeting's unit.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="project_propose"):
        locked = list(Demand.objects.select_for_update().filter(pk__in=[d.pk for d in demands]))
        for demand in locked:
            if demand.status not in PROPOSABLE:
                raise ValidationError({"demands": _("A demand chosen is already in a project.")})
            if not same_branch(demand.unit, unit):
                raise ValidationError({"demands": _("A demand chosen lies outside this unit.")})
        project = LivelihoodProject(
            title=title,
            category=category,
            unit=unit,
            proposed_at=meeting,
            proposed_on=meeting.held_on,
            first_demand_on=min((d.received_on for d in locked), default=None),
            cost=cost,
            funding_source=funding_source,
            created_by=by,
        )
        project.save()
        for demand in locked:
            demand.status = DemandStatus.PROJECT
            demand.project = project
            demand.version += 1
            demand.save()
            if not AgendaItem.objects.filter(meeting=meeting, demand=demand).exists():
                AgendaItem.objects.create(meeting=meeting, demand=demand)
        AgendaItem.objects.filter(meeting=meeting, demand__in=locked).update(project=project)
        StageMove.objects.create(
            project=project,
            to_stage=ProjectStage.PROPOSED,
            meeting=meeting,
            on=meeting.held_on,
            by=by,
        )
    return project


def meetings_for_move(user, project: LivelihoodProject, to_stage: str):
    """The meetings that may make this move: of the right type, in the project's branch,
    held on or after the stage it leaves."""
    kind = STAGE_MEETING.get(to_stage)
    if kind is None:
        return Meeting.objects.none()
    codes = project.unit.path.strip("/").split("/")
    since = (
        project.moves.order_by("-on").values_list("on", flat=True).first() or project.proposed_on
    )
    return (
        Meeting.objects.for_user(user)
        .filter(kind=kind, held_on__gte=since)
        .filter(Q(unit__code__in=codes) | Q(unit__path__startswith=project.unit.path))
        .select_related("unit", "platform")
        .order_by("-held_on", "-pk")
    )


def meetings_for_moves(user, moves: list[tuple[LivelihoodProject, str]]) -> dict[int, list]:
    """`meetings_for_move` for many projects at once (a board of cards), in two queries: the
    projects' last moves, then every meeting any of them may use, sorted to each in Python.
    Returns the meetings by project, newest first."""
    from django.db.models import Max

    moves = [(p, t) for p, t in moves if STAGE_MEETING.get(t)]
    if not moves:
        return {}
    last = dict(
        StageMove.objects.filter(project__in=[p.pk for p, _t in moves])
        .values_list("project")
        .annotate(last=Max("on"))
        .order_by()
    )
    since = {p.pk: last.get(p.pk) or p.proposed_on for p, _t in moves}
    paths = {p.unit.path for p, _t in moves}
    near = Q(unit__code__in={code for path in paths for code in path.strip("/").split("/")})
    for path in sorted(paths):
        near |= Q(unit__path__startswith=path)
    meetings = list(
        Meeting.objects.for_user(user)
        .filter(near, kind__in={STAGE_MEETING[t] for _p, t in moves})
        .filter(held_on__gte=min(since.values()))
        .select_related("unit")
        .only("held_on", "kind", "unit__code", "unit__path", "unit__name")
        .order_by("-held_on", "-pk")
    )
    found = {}
    for project, target in moves:
        codes = set(project.unit.path.strip("/").split("/"))
        found[project.pk] = [
            m
            for m in meetings
            if m.kind == STAGE_MEETING[target]
            and m.held_on >= since[project.pk]
            and (m.unit.code in codes or m.unit.path.startswith(project.unit.path))
        ]
    return found


def project_move(
    *,
    by,
    project: LivelihoodProject,
    to_stage: str,
    version: int,
    meeting: Meeting | None = None,
    on: date | None = None,
    reason: str = "",
    beneficiaries: int | None = None,
) -> LivelihoodProject:
    """One step along proposed → agreed → under way → delivered, or out to dropped."""
    if not may(by, Action.RUN_CONSULTATION, project.unit):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason=f"project_{to_stage}"):
        current = LivelihoodProject.lock_at_version(project.pk, version)
        if to_stage not in MOVE_TARGETS.get(current.stage, ()):
            raise ValidationError(
                {
                    "to_stage": _(
                        "Stages move in order: proposed, agreed, under way, delivered "
                        "(or dropped with a reason)."
                    )
                }
            )
        last_on = current.moves.order_by("-on").values_list("on", flat=True).first()
        last_on = last_on or current.proposed_on
        kind = STAGE_MEETING.get(to_stage)
        if kind is not None:
            if meeting is None or meeting.kind != kind:
                raise ValidationError(
                    {
                        "meeting": _("Choose the %(kind)s that made this step.")
                        % {"kind": kind.label}
                    }
                )
            if not same_branch(meeting.unit, current.unit):
                raise ValidationError(
                    {"meeting": _("This meeting lies outside the project's unit.")}
                )
            on = meeting.held_on
        elif to_stage == ProjectStage.DELIVERED:
            if on is None:
                raise ValidationError({"on": _("Give the date the project was delivered.")})
            meeting = None
        else:  # dropped
            if not reason.strip():
                raise ValidationError({"reason": _("Say why the project is dropped.")})
            on = on or timezone.localdate()
            meeting = (
                meeting if meeting is not None and same_branch(meeting.unit, current.unit) else None
            )
        _not_future(on, "on")
        if on < last_on:
            raise ValidationError({"on": _("A step cannot come before the one before it.")})
        previous = current.stage
        current.stage = to_stage
        if to_stage == ProjectStage.AGREED:
            current.agreed_at = meeting
        elif to_stage == ProjectStage.UNDER_WAY:
            current.started_at = meeting
        elif to_stage == ProjectStage.DELIVERED:
            current.delivered_on = on
            if beneficiaries is not None:
                current.beneficiaries = beneficiaries
        else:
            current.dropped_reason = reason.strip()
        current.save()
        StageMove.objects.create(
            project=current,
            from_stage=previous,
            to_stage=to_stage,
            meeting=meeting,
            on=on,
            reason=reason.strip(),
            by=by,
        )
        if (
            meeting is not None
            and not AgendaItem.objects.filter(meeting=meeting, project=current).exists()
        ):
            AgendaItem.objects.create(meeting=meeting, project=current)
        if current.is_finished:
            _answer_demands(current, on)
        if to_stage == ProjectStage.DELIVERED:
            public_changed()  # a new public project page
        return current


def _answer_demands(project: LivelihoodProject, on: date) -> None:
    """Each demand behind a finished project gets its answer: delivered, or why not."""
    if project.stage == ProjectStage.DELIVERED:
        text = _("Taken up as the livelihood project “%(title)s”, delivered on %(day)s.") % {
            "title": project.title,
            "day": on.isoformat(),
        }
    else:
        text = _("The livelihood project “%(title)s” was dropped: %(reason)s") % {
            "title": project.title,
            "reason": project.dropped_reason,
        }
    for demand in Demand.objects.select_for_update().filter(project=project):
        demand.answer = text
        demand.answered_on = max(on, demand.received_on)
        demand.version += 1
        demand.save()


def project_update(*, by, project: LivelihoodProject, version: int, photos=None, **fields):
    """Cost, funding, beneficiaries, photos: against the version the form was opened at."""
    if not may(by, Action.RUN_CONSULTATION, project.unit):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="project_update"):
        current = LivelihoodProject.lock_at_version(project.pk, version)
        for name, value in fields.items():
            setattr(current, name, value)
        for name, photo in (photos or {}).items():
            _save_photo(current, name, photo)
        current.save()
        if current.stage == ProjectStage.DELIVERED:
            public_changed()  # its public page shows these
        return current


def progress_add(*, by, project: LivelihoodProject, on: date, text: str) -> ProgressEntry:
    if not may(by, Action.RUN_CONSULTATION, project.unit):
        raise PermissionDenied
    _not_future(on, "on")
    if on < project.proposed_on:
        raise ValidationError({"on": _("Progress cannot come before the project was proposed.")})
    with pghistory.context(user=by.pk, reason="progress_add"):
        return ProgressEntry.objects.create(project=project, on=on, text=text.strip(), by=by)


def rating_add(*, demand: Demand, score: int, comment: str = "") -> ProjectRating:
    """A resident rates the delivered project behind their demand: once per tracking code."""
    project = demand.project
    if project is None or project.stage != ProjectStage.DELIVERED:
        raise ValidationError(_("Only a delivered project can be rated."))
    try:
        with transaction.atomic():
            rating = ProjectRating.objects.create(
                project=project, demand=demand, unit=project.unit, score=score, comment=comment
            )
            public_changed()  # the project's public page counts its ratings
            return rating
    except IntegrityError as error:
        raise ValidationError(_("This demand's project has already been rated.")) from error
