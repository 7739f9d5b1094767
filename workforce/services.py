"""Workforce workflows: the roster and its grids, invitations and attendance, the competition's
scores, totals, ranking and publication.

Each write checks what the user may do, runs in one transaction, tells pghistory who did it and
why, and keeps the tallies right where one record's facts depend on another (a worker's first
training of the year depends on their attendances).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import (
    AdministrativeUnit,
    UnitLevel,
    require,
)
from core.models.tallies import apply_fact_changes
from workforce.models import (
    COVERING,
    Attendance,
    Award,
    Competition,
    CompetitionRound,
    Entrant,
    GridAssignment,
    GridCoverage,
    RoundJudge,
    RoundKind,
    Score,
    TrainingSession,
    Worker,
    WorkerStatus,
    quantize,
)
from workforce.roles import Action

__all__ = [
    "refresh_grid_coverage",
    "uncovered_grids",
    "worker_save",
    "session_invite",
    "attendance_mark",
    "competition_create",
    "DEFAULT_ROUNDS",
    "judge_rounds",
    "scores_enter",
    "Standing",
    "rank_totals",
    "standings",
    "competition_publish",
    "scoring_progress",
]


# ---------------------------------------------------------------------------------------------
# Grids and their grid workers


def uncovered_grids(unit: AdministrativeUnit):
    """Active grids inside the unit that no grid worker in post (or on leave) covers."""
    covered = GridAssignment.objects.filter(
        worker__status__in=COVERING, worker__position__is_grid=True
    ).values("grid_id")
    return (
        AdministrativeUnit.objects.filter(
            path__startswith=unit.path, level=UnitLevel.GRID, retired_on__isnull=True
        )
        .exclude(pk__in=covered)
        .select_related("parent")
        .order_by("code")
    )


def refresh_grid_coverage(grid_ids=None) -> None:
    """Bring GridCoverage (and its tallies) in line with the roster, for the given grids or all."""
    today = timezone.localdate()
    grids = AdministrativeUnit.objects.filter(level=UnitLevel.GRID)
    if grid_ids is not None:
        grids = grids.filter(pk__in=list(grid_ids))
    grids = list(grids.only("pk", "created_on", "retired_on"))
    if not grids:
        return
    ids = [g.pk for g in grids]
    covered = set(
        GridAssignment.objects.filter(
            grid_id__in=ids, worker__status__in=COVERING, worker__position__is_grid=True
        ).values_list("grid_id", flat=True)
    )
    with transaction.atomic():
        rows = {
            row.grid_id: row
            for row in GridCoverage.objects.select_for_update().filter(grid_id__in=ids)
        }
        old, new, created, changed = [], [], [], []
        for grid in grids:
            uncovered = grid.retired_on is None and grid.pk not in covered
            row = rows.get(grid.pk)
            if row is None:
                row = GridCoverage(
                    grid_id=grid.pk, uncovered_since=grid.created_on if uncovered else None
                )
                created.append(row)
                new += row.tally_facts()
            elif uncovered != (row.uncovered_since is not None):
                old += row.tally_facts()
                row.uncovered_since = today if uncovered else None
                changed.append(row)
                new += row.tally_facts()
        GridCoverage.objects.bulk_create(created)
        if changed:
            GridCoverage._base_manager.bulk_update(changed, ["uncovered_since"])
        apply_fact_changes(old, new)


@receiver(post_save, sender=AdministrativeUnit, dispatch_uid="workforce_grid_coverage")
def _grid_saved(sender, instance, raw=False, **kwargs):
    """A grid added, retired or reinstated: whether it has a worker is known at once."""
    if not raw and instance.level == UnitLevel.GRID:
        refresh_grid_coverage([instance.pk])


@receiver(pre_delete, sender=AdministrativeUnit, dispatch_uid="workforce_grid_deleted")
def _grid_deleted(sender, instance, **kwargs):
    """A grid deleted outright: its coverage row goes first, taking its facts back (a cascade
    would drop the row without telling the tallies)."""
    if instance.level == UnitLevel.GRID:
        for row in GridCoverage.objects.filter(grid_id=instance.pk):
            row.delete()


# ---------------------------------------------------------------------------------------------
# The roster


def _check_grids(unit: AdministrativeUnit, position, grids) -> None:
    if position.is_grid and not grids:
        raise ValidationError({"grids": _("A grid worker covers at least one grid.")})
    for grid in grids:
        if grid.level != UnitLevel.GRID or not grid.path.startswith(unit.path):
            raise ValidationError(
                {"grids": _("%(grid)s is not a grid of %(unit)s.") % {"grid": grid, "unit": unit}}
            )


def _facts_of(records) -> list:
    return [fact for record in records for fact in record.tally_facts()]


def worker_save(*, by, data: dict, grids, worker: Worker | None = None, version=None) -> Worker:
    """Create a worker (worker=None) or update one at the version the form was opened at."""
    unit = data["unit"]
    require(by, Action.MANAGE_WORKFORCE, unit)
    _check_grids(unit, data["position"], grids)
    if data.get("status") == WorkerStatus.LEFT and not data.get("left_on"):
        raise ValidationError({"left_on": _("Say when the worker left.")})
    if data.get("left_on") and data["left_on"] < data["joined_on"]:
        raise ValidationError({"left_on": _("A worker cannot leave before joining.")})
    reason = "worker_update" if worker else "worker_create"
    with transaction.atomic(), pghistory.context(user=by.pk, reason=reason):
        if worker is None:
            worker = Worker(**data)
            worker.save()
            attendances_before = []
            old_grids = set()
        else:
            worker = Worker.lock_at_version(worker.pk, version)
            attendances = list(Attendance.objects.filter(worker=worker).select_related("session"))
            attendances_before = _facts_of(attendances)
            old_grids = set(worker.assignments.values_list("grid_id", flat=True))
            for field, value in data.items():
                setattr(worker, field, value)
            worker.save()
        wanted = {g.pk for g in grids}
        worker.assignments.exclude(grid_id__in=wanted).delete()
        GridAssignment.objects.bulk_create(
            [GridAssignment(worker=worker, grid_id=g) for g in wanted - old_grids]
        )
        if attendances_before:
            fresh = Attendance.objects.filter(worker=worker).select_related("session", "worker")
            apply_fact_changes(attendances_before, _facts_of(fresh))
        refresh_grid_coverage(old_grids | wanted)
    return worker


# ---------------------------------------------------------------------------------------------
# Training: invitations and attendance


def session_invite(*, by, session: TrainingSession, workers) -> int:
    """Invite workers (those inside the session's unit, not yet invited); returns how many."""
    if not TrainingSession.objects.allows(by, Action.MANAGE_TRAINING, session):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="session_invite"):
        already = set(session.attendances.values_list("worker_id", flat=True))
        fresh = [
            Attendance(session=session, worker=w)
            for w in workers
            if w.pk not in already and w.unit.path.startswith(session.unit.path)
        ]
        Attendance.objects.bulk_create(fresh)  # not attended yet: no facts
    return len(fresh)


def attendance_mark(*, by, session: TrainingSession, worker_id: int, attended: bool) -> Attendance:
    """Tick (or untick) an invited worker. Someone not invited is refused: invite them first."""
    if not TrainingSession.objects.allows(by, Action.MANAGE_TRAINING, session):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="attendance"):
        row = (
            Attendance.objects.select_for_update()
            .select_related("worker", "session")
            .filter(session=session, worker_id=worker_id)
            .first()
        )
        if row is None:
            raise ValidationError(
                _("This worker was not invited to the session: invite them first.")
            )
        if row.attended == attended:
            return row
        worker = row.worker
        before = worker.tally_facts()
        row.attended = attended
        row.marked_at = timezone.now()
        row.marked_by = by
        row.save()
        apply_fact_changes(before, worker.tally_facts())
    return row


# ---------------------------------------------------------------------------------------------
# The skills competition

# (kind, weight, lowest, highest)
DEFAULT_ROUNDS = [
    (RoundKind.WRITTEN, Decimal(40), Decimal(0), Decimal(100)),
    (RoundKind.INTERVIEW, Decimal(30), Decimal(0), Decimal(100)),
    (RoundKind.CASE, Decimal(30), Decimal(0), Decimal(100)),
]


def competition_create(*, by, unit, name, held_on, **prizes) -> Competition:
    require(by, Action.MANAGE_COMPETITION, unit)
    with transaction.atomic(), pghistory.context(user=by.pk, reason="competition_create"):
        competition = Competition.objects.create(
            unit=unit, name=name, held_on=held_on, created_by=by, **prizes
        )
        for order, (kind, weight, low, high) in enumerate(DEFAULT_ROUNDS):
            CompetitionRound.objects.create(
                competition=competition,
                kind=kind,
                weight=weight,
                min_score=low,
                max_score=high,
                order=order,
            )
    return competition


def judge_rounds(user, competition: Competition) -> list[CompetitionRound]:
    return list(
        competition.rounds.filter(roundjudge__judge=user).order_by("order")
        if user.is_authenticated
        else []
    )


def scores_enter(*, by, round_: CompetitionRound, values: dict, versions: dict) -> int:
    """A judge's scores for their round: {entrant id: value or None}; versions of the scores
    already entered, {entrant id: version}. Raises StaleVersion when a score moved meanwhile."""
    competition = round_.competition
    if not RoundJudge.objects.filter(round=round_, judge=by).exists():
        raise PermissionDenied(_("You are not a judge of this round."))
    if competition.is_published:
        raise ValidationError(_("The results are published: scores can no longer change."))
    errors = {}
    for entrant_id, value in values.items():
        if value is not None and not (round_.min_score <= value <= round_.max_score):
            errors[f"score_{entrant_id}"] = _(
                "A score in this round lies between %(low)s and %(high)s."
            ) % {"low": round_.min_score, "high": round_.max_score}
    if errors:
        raise ValidationError(errors)
    entrants = set(competition.entrants.values_list("pk", flat=True))
    changed = 0
    with transaction.atomic(), pghistory.context(user=by.pk, reason="score"):
        for entrant_id, value in values.items():
            if entrant_id not in entrants:
                raise ValidationError(_("That entrant is not in this competition."))
            existing = Score.objects.filter(round=round_, entrant_id=entrant_id, judge=by).first()
            if existing is None:
                if value is not None:
                    Score.objects.create(round=round_, entrant_id=entrant_id, judge=by, value=value)
                    changed += 1
                continue
            score = Score.lock_at_version(existing.pk, versions.get(entrant_id, -1))
            if value is None:
                score.delete()
                changed += 1
            elif score.value != value:
                score.value = value
                score.save()
                changed += 1
    return changed


def scoring_progress(competition: Competition) -> list[dict]:
    """Per round: how many scores are due and entered (counts only: no score is revealed)."""
    entrants = competition.entrants.count()
    rows = []
    for round_ in competition.rounds.prefetch_related("judges"):
        judges = list(round_.judges.all())
        entered = Score.objects.filter(round=round_).count()
        rows.append(
            {
                "round": round_,
                "judges": judges,
                "due": entrants * len(judges),
                "entered": entered,
            }
        )
    return rows


@dataclass
class Standing:
    entrant: Entrant
    round_means: dict  # round id -> mean score
    total: Decimal
    rank: int = 0
    tied: bool = False


def rank_totals(totals: list[Decimal]) -> list[tuple[int, bool]]:
    """Competition ranking ("1, 2, 2, 4"): equal totals share a rank, the next rank is skipped,
    and a shared rank says so. Totals are compared as shown, to two decimals."""
    shown = [quantize(t) for t in totals]
    counts = defaultdict(int)
    for t in shown:
        counts[t] += 1
    return [(1 + sum(1 for other in shown if other > t), counts[t] > 1) for t in shown]


def standings(competition: Competition) -> list[Standing]:
    """Totals from the scores as they are: per round the mean of its judges' scores, scaled by
    the round's range and weighted; then ranked (best first, entrant number breaking no tie)."""
    rounds = list(competition.rounds.all())
    by_entrant: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for entrant_id, round_id, value in Score.objects.filter(
        round__competition=competition
    ).values_list("entrant_id", "round_id", "value"):
        by_entrant[entrant_id][round_id].append(value)
    rows = []
    for entrant in competition.entrants.select_related("worker__unit", "worker__position"):
        means, total = {}, Decimal(0)
        for round_ in rounds:
            values = by_entrant[entrant.pk].get(round_.pk, [])
            if values:
                means[round_.pk] = quantize(sum(values) / len(values))
                total += round_.weighted(sum(values) / len(values))
        rows.append(Standing(entrant, means, quantize(total)))
    rows.sort(key=lambda s: (-s.total, s.entrant.number))
    for standing, (rank, tied) in zip(rows, rank_totals([s.total for s in rows]), strict=True):
        standing.rank, standing.tied = rank, tied
    return rows


def _award(rank: int, competition: Competition) -> str:
    first = competition.first_prizes
    second = first + competition.second_prizes
    third = second + competition.third_prizes
    if rank <= first:
        return Award.FIRST
    if rank <= second:
        return Award.SECOND
    if rank <= third:
        return Award.THIRD
    return Award.MERIT


def competition_publish(*, by, competition: Competition, version: int) -> Competition:
    """Publish the results once every judge has scored every entrant: totals, ranks and awards
    are written to the entrants (a shared rank shares its award), and scores freeze."""
    if not Competition.objects.allows(by, Action.MANAGE_COMPETITION, competition):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=by.pk, reason="competition_publish"):
        locked = Competition.lock_at_version(competition.pk, version)
        if locked.is_published:
            raise ValidationError(_("The results are already published."))
        if not locked.entrants.exists():
            raise ValidationError(_("The competition has no entrants yet."))
        for row in scoring_progress(locked):
            if not row["judges"]:
                raise ValidationError(_("%(round)s has no judge yet.") % {"round": row["round"]})
            if row["entered"] < row["due"]:
                raise ValidationError(
                    _("%(round)s: %(entered)s of %(due)s scores are in.")
                    % {"round": row["round"], "entered": row["entered"], "due": row["due"]}
                )
        results = standings(locked)
        for standing in results:
            entrant = standing.entrant
            entrant.total, entrant.rank, entrant.tied = standing.total, standing.rank, standing.tied
            entrant.award = _award(standing.rank, locked)
        Entrant._base_manager.bulk_update(
            [s.entrant for s in results], ["total", "rank", "tied", "award"]
        )
        locked.status = Competition.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save()
    return locked
