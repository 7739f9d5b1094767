"""The skills competition (职业能力大赛): rounds, judges, entrants, blind scoring, results.

Blindness: before publication a judge sees only their own scores, for their own rounds, and the
entrants by number only (names and units are the organisers'); the organisers see how many scores
are in, never their values. After publication everyone who may see the competition sees every
score, the totals, the ranking and the awards.
"""

from decimal import Decimal, InvalidOperation

import pghistory
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    already_submitted,
    error_summary,
    save_once,
)
from core.models import (
    StaleVersion,
    UnitLevel,
    User,
    units_for,
)
from core.privacy import mask
from workforce.forms import CompetitionForm, EntrantForm, JudgeForm, ScoreForm
from workforce.models import (
    Competition,
    CompetitionRound,
    Entrant,
    RoundJudge,
    Score,
    Worker,
)
from workforce.roles import Action
from workforce.services import (
    competition_create,
    competition_publish,
    judge_rounds,
    scores_enter,
    scoring_progress,
    standings,
)

__all__ = [
    "competition_list",
    "competition_create_view",
    "competition_detail",
    "rounds_edit",
    "judge_add",
    "entrants_add",
    "score_entry",
    "publish",
    "results",
    "public_results",
]

# What `{{ value }}` in a template sees: autoescape on, localization and time zone on.
_TEMPLATE_CONTEXT = Context(autoescape=True)


def _visible(request):
    return Competition.objects.for_user(request.user, Action.JUDGE) | (
        Competition.objects.for_user(request.user, Action.VIEW)
    )


def _competition_for_user(request, pk: int) -> Competition:
    return get_object_or_404(_visible(request).select_related("unit").distinct(), pk=pk)


def _manage_units(request):
    return (
        units_for(request, Action.MANAGE_COMPETITION)
        .exclude(level=UnitLevel.GRID)
        .order_by("depth", "code")
    )


def competition_list(request: HttpRequest) -> HttpResponse:
    competitions = _visible(request).select_related("unit").distinct()
    context = {"competitions": competitions, "can_manage": _manage_units(request).exists()}
    return render(request, "workforce/competition_list.html", context)


@require_http_methods(["GET", "POST"])
def competition_create_view(request: HttpRequest) -> HttpResponse:
    units = _manage_units(request)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = CompetitionForm(request.POST or None, units=units)
    if not form.is_bound:
        form.initial["unit"] = units.first()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        competition, done = save_once(
            request,
            key,
            lambda: competition_create(by=request.user, **data),
            "governance:competition_list",
        )
        return redirect(done or competition.get_absolute_url())
    context = {"form": form, "error_summary": error_summary([form]) if form.is_bound else []}
    return render(request, "workforce/competition_form.html", context)


def _judge_candidates(competition):
    return (
        User.objects.filter(
            memberships__role="competition_judge",
            memberships__unit__path__startswith=competition.unit.path,
        )
        .distinct()
        .order_by("username")
    )


def _entrant_candidates(competition):
    return (
        Worker.objects.current()
        .filter(unit__path__startswith=competition.unit.path)
        .exclude(entries__competition=competition)
        .select_related("unit")
        .order_by("unit__code", "name")
    )


def _detail_context(request, competition, **forms) -> dict:
    can_manage = Competition.objects.allows(request.user, Action.MANAGE_COMPETITION, competition)
    rounds = list(competition.rounds.all())
    my_rounds = judge_rounds(request.user, competition)
    context = {
        "competition": competition,
        "rounds": rounds,
        "can_manage": can_manage,
        "my_rounds": my_rounds,
        "entrants": competition.entrants.select_related("worker__unit", "worker__position"),
        # A name links to the worker's page only for those who may open it (not a judge).
        "openable_workers": set(
            Worker.objects.for_user(request.user)
            .filter(entries__competition=competition)
            .values_list("pk", flat=True)
        ),
        # Blind scoring: until publication only the organisers (not judging) know who is who.
        "entrant_names": competition.is_published or (can_manage and not my_rounds),
        "progress": scoring_progress(competition),
        "scores_entered": Score.objects.filter(round__competition=competition).exists(),
        "rounds_error": forms.get("rounds_error", ""),
        "conflict": forms.get("conflict"),
    }
    if can_manage and not competition.is_published:
        context["judge_form"] = forms.get("judge_form") or JudgeForm(
            rounds=competition.rounds.all(), judges=_judge_candidates(competition)
        )
        context["entrant_form"] = forms.get("entrant_form") or EntrantForm(
            workers=_entrant_candidates(competition)
        )
    return context


def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition_for_user(request, pk)
    return render(
        request,
        "workforce/competition_detail.html",
        _detail_context(request, competition),
    )


def _manageable(request, pk: int) -> Competition:
    competition = _competition_for_user(request, pk)
    if not Competition.objects.allows(request.user, Action.MANAGE_COMPETITION, competition):
        raise Http404
    return competition


def _refuse_after_publication(request, competition) -> HttpResponse | None:
    if competition.is_published:
        messages.error(
            request, _("The results are published: the competition can no longer change.")
        )
        return redirect(competition.get_absolute_url())
    return None


@require_POST
def rounds_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Weights and score ranges of every round at once (they must add up to 100), only while
    no score is in: changing them later would change what judges already scored against."""
    competition = _manageable(request, pk)
    if refused := _refuse_after_publication(request, competition):
        return refused
    rounds = list(competition.rounds.all())
    error = ""
    values = {}
    try:
        for r in rounds:
            values[r.pk] = tuple(
                Decimal(request.POST.get(f"{name}_{r.pk}", "").strip())
                for name in ("weight", "min", "max")
            )
            version = int(request.POST.get(f"version_{r.pk}", "0"))
            values[r.pk] += (version,)
    except (InvalidOperation, ValueError):
        error = _("Enter numbers for every weight and range.")
    if not error:
        if sum(v[0] for v in values.values()) != 100:
            error = _("The weights must add up to 100.")
        elif any(v[0] < 0 or v[1] < 0 or v[2] > 1000 for v in values.values()):
            error = _("Weights and scores cannot be negative; a highest score is at most 1000.")
        elif any(v[1] >= v[2] for v in values.values()):
            error = _("Each round's highest score must be above its lowest.")
        elif Score.objects.filter(round__competition=competition).exists():
            error = _("Scores are already in: weights and ranges can no longer change.")
    if error:
        context = _detail_context(request, competition, rounds_error=error)
        return render(request, "workforce/competition_detail.html", context, status=400)
    try:
        with transaction.atomic(), pghistory.context(user=request.user.pk, reason="rounds"):
            for r in rounds:
                weight, low, high, version = values[r.pk]
                locked = CompetitionRound.lock_at_version(r.pk, version)
                locked.weight, locked.min_score, locked.max_score = weight, low, high
                locked.save()
    except StaleVersion as stale:
        context = _detail_context(request, competition, conflict=stale.current)
        return render(request, "workforce/competition_detail.html", context, status=409)
    messages.success(request, _("Rounds saved."))
    return redirect(competition.get_absolute_url())


@require_POST
def judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _manageable(request, pk)
    if refused := _refuse_after_publication(request, competition):
        return refused
    form = JudgeForm(
        request.POST, rounds=competition.rounds.all(), judges=_judge_candidates(competition)
    )
    if form.is_valid():
        with pghistory.context(user=request.user.pk, reason="judge_add"):
            RoundJudge.objects.get_or_create(
                round=form.cleaned_data["round"], judge=form.cleaned_data["judge"]
            )
        return redirect(competition.get_absolute_url() + "#rounds")
    context = _detail_context(request, competition, judge_form=form)
    return render(request, "workforce/competition_detail.html", context)


@require_POST
def entrants_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _manageable(request, pk)
    if refused := _refuse_after_publication(request, competition):
        return refused
    form = EntrantForm(request.POST, workers=_entrant_candidates(competition))
    if form.is_valid():
        with transaction.atomic(), pghistory.context(user=request.user.pk, reason="entrants"):
            Competition.objects.select_for_update().get(pk=competition.pk)
            last = competition.entrants.aggregate(n=Max("number"))["n"] or 0
            for offset, worker in enumerate(form.cleaned_data["workers"], start=1):
                Entrant(competition=competition, worker=worker, number=last + offset).save()
        return redirect(competition.get_absolute_url() + "#entrants")
    context = _detail_context(request, competition, entrant_form=form)
    return render(request, "workforce/competition_detail.html", context)


@require_http_methods(["GET", "POST"])
def score_entry(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    """A judge's own scores for their own round; nobody else's are on the page."""
    competition = _competition_for_user(request, pk)
    round_ = get_object_or_404(competition.rounds, pk=round_pk)
    if not RoundJudge.objects.filter(round=round_, judge=request.user).exists():
        raise PermissionDenied(_("You are not a judge of this round."))
    entrants = competition.entrants.order_by("number")
    existing = {s.entrant_id: s for s in Score.objects.filter(round=round_, judge=request.user)}
    form = ScoreForm(request.POST or None, round_=round_, entrants=entrants, existing=existing)
    conflict = False
    status = 200
    if request.method == "POST":
        if competition.is_published:
            messages.error(request, _("The results are published: scores can no longer change."))
            return redirect(competition.get_absolute_url())
        if form.is_valid():
            try:
                scores_enter(
                    by=request.user, round_=round_, values=form.values(), versions=form.versions()
                )
            except StaleVersion:
                conflict, status = True, 409
                existing = {
                    s.entrant_id: s for s in Score.objects.filter(round=round_, judge=request.user)
                }
                form = ScoreForm(round_=round_, entrants=entrants, existing=existing)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your scores are saved."))
                return redirect(request.path)
        else:
            status = 400
    context = {
        "competition": competition,
        "round": round_,
        "form": form,
        "conflict": conflict,
        "entered": len(existing),
        "error_summary": error_summary([form]) if form.is_bound else [],
    }
    return render(request, "workforce/score_entry.html", context, status=status)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _manageable(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        competition_publish(by=request.user, competition=competition, version=version)
    except StaleVersion as stale:
        context = _detail_context(request, stale.current, conflict=stale.current)
        return render(request, "workforce/competition_detail.html", context, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(competition.get_absolute_url())
    messages.success(request, _("The results are published."))
    return redirect("governance:competition_results", pk=competition.pk)


def _text(value) -> str:
    """`{{ value }}` in a template: localized and escaped."""
    return render_value_in_context(value, _TEMPLATE_CONTEXT)


def _round_cell(mean, scores) -> str:
    judged = ""
    if scores:
        judged = " · ".join(_text(score.value) for score in scores)
        judged = f'<br><span class="meta judge-scores">{judged}</span>'
    return f'<td class="col-wide">{_text(mean or "—")}{judged}</td>'


def results(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition_for_user(request, pk)
    if not competition.is_published:
        raise Http404
    rounds = list(competition.rounds.all())
    table = standings(competition)
    stored = {e.pk: e for e in competition.entrants.all()}
    judge_scores = {}
    for score in Score.objects.filter(round__competition=competition).select_related("judge"):
        judge_scores.setdefault((score.entrant_id, score.round_id), []).append(score)
    tied = f' <span class="badge">{_text(_("tied"))}</span>'
    rows = []
    for s in table:
        entrant = stored[s.entrant.pk]
        cells = "".join(
            _round_cell(s.round_means.get(r.pk), judge_scores.get((s.entrant.pk, r.pk), []))
            for r in rounds
        )
        rows.append(
            f"\n      <tr{' class="tied"' if entrant.tied else ''}>\n"
            f"        <td>{_text(entrant.rank)}{tied if entrant.tied else ''}</td>\n"
            f'        <td><span class="mono">{_text(s.entrant)}</span> '
            f"{_text(s.entrant.worker.name)}<br>"
            f'<span class="meta">{_text(s.entrant.worker.unit.name)}</span></td>\n'
            f"        {cells}\n"
            f"        <td><strong>{_text(entrant.total)}</strong></td>\n"
            f"        <td>{_text(entrant.get_award_display())}</td>\n      </tr>\n    "
        )
    context = {
        "competition": competition,
        "rounds": rounds,
        "rows": mark_safe("".join(rows)),  # noqa: S308 -- every value through _text
    }
    return render(request, "workforce/competition_results.html", context)


@login_not_required
@require_GET
def public_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results for everyone: names masked (张*), no judge's scores, no phone."""
    competition = get_object_or_404(
        Competition.objects.filter(status=Competition.Status.PUBLISHED).select_related("unit"),
        pk=pk,
    )
    entrants = competition.entrants.select_related("worker__unit").order_by("rank", "number")
    rows = [
        {
            "number": str(e),
            "name": mask(e.worker.name, "name"),
            "unit": e.worker.unit.name,
            "rank": e.rank,
            "tied": e.tied,
            "total": e.total,
            "award": e.get_award_display(),
        }
        for e in entrants
    ]
    context = {"competition": competition, "rows": rows, "rounds": competition.rounds.all()}
    return render(request, "workforce/public/competition_results.html", context)
