"""The dispute workflow: 受理 → 调解中 → 已化解 | 未化解, escalation one level up, reopening.

Each move checks that the user may handle the case at its current level, runs in one
transaction, logs a workflow event and tells pghistory who did it and why.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import (
    AdministrativeUnit,
    UnitLevel,
)
from core.models.scope import grant_paths, require
from core.models.tallies import counting
from core.models.writes import insert_sql
from disputes.models import (
    CaseEvent,
    CaseNumberCounter,
    CaseParty,
    CaseStatus,
    DisputeCase,
    HandlingLevel,
)
from disputes.models.disputes import LEVEL_ORDER, Referral, level_of
from disputes.roles import Action

__all__ = [
    "Move",
    "MOVES",
    "moves_for",
    "can_handle",
    "case_intake",
    "case_move",
    "street_of",
    "EarlierOutcome",
    "earlier_outcomes",
]


@dataclass(frozen=True)
class Move:
    key: str
    label: str
    from_statuses: tuple[str, ...]
    needs_reason: bool = False
    closes: bool = False


MOVES = {
    m.key: m
    for m in [
        Move("mediate", gettext_lazy("Start mediation"), (CaseStatus.ACCEPTED,)),
        Move(
            "resolve",
            gettext_lazy("Resolved"),
            (CaseStatus.ACCEPTED, CaseStatus.MEDIATING),
            closes=True,
        ),
        Move(
            "refer",
            gettext_lazy("Not resolved: refer"),
            (CaseStatus.ACCEPTED, CaseStatus.MEDIATING),
            needs_reason=True,
            closes=True,
        ),
        Move(
            "escalate",
            gettext_lazy("Escalate one level up"),
            (CaseStatus.ACCEPTED, CaseStatus.MEDIATING),
            needs_reason=True,
        ),
        Move(
            "reopen",
            gettext_lazy("Reopen"),
            (CaseStatus.RESOLVED, CaseStatus.UNRESOLVED),
            needs_reason=True,
        ),
    ]
}


def street_code_of(unit: AdministrativeUnit) -> str:
    """The code of the street a unit lies in (the district itself numbers its own cases)."""
    if unit.level in (UnitLevel.STREET, UnitLevel.DISTRICT):
        return unit.code
    return unit.path.strip("/").split("/")[1]


def street_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The street a unit lies in (the district itself numbers its own cases)."""
    if unit.level in (UnitLevel.STREET, UnitLevel.DISTRICT):
        return unit
    return AdministrativeUnit.objects.get(code=street_code_of(unit))


def _rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


def can_handle(user, case: DisputeCase) -> bool:
    """A handler whose unit contains the case and sits at or above the level now handling it."""
    if user.is_superuser:
        return True
    paths = grant_paths(user, Action.HANDLE_CASES)
    if not paths:
        return False
    mine = AdministrativeUnit.objects.filter(path__in=paths)
    return any(
        case.unit.path.startswith(unit.path) and _rank(level_of(unit)) >= _rank(case.handling_level)
        for unit in mine
    )


def moves_for(user, case: DisputeCase) -> list[Move]:
    if not can_handle(user, case):
        return []
    moves = [m for m in MOVES.values() if case.status in m.from_statuses]
    if case.handling_level == HandlingLevel.DISTRICT:
        moves = [m for m in moves if m.key != "escalate"]
    return moves


def _check_dates(
    received_on: date | None = None, closed_on: date | None = None, *, case=None
) -> None:
    today = timezone.localdate()
    if received_on and received_on > today:
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if closed_on:
        if closed_on > today:
            raise ValidationError({"resolved_on": _("The date cannot be in the future.")})
        start = received_on or (case.received_on if case else None)
        if start and closed_on < start:
            raise ValidationError({"resolved_on": _("A case cannot close before it was received.")})


def case_intake(
    *,
    by,
    unit: AdministrativeUnit,
    source: str,
    category,
    received_on: date,
    description: str,
    parties,
) -> DisputeCase:
    require(by, Action.LOG_CASES, unit)
    _check_dates(received_on)
    street_code = street_code_of(unit)
    # No savepoint inside a caller's transaction (a form's save_once): a failure rolls it all back.
    with (
        transaction.atomic(savepoint=False),
        pghistory.context(user=by.pk, reason="case_intake"),
    ):
        case = DisputeCase(
            number=RawSQL("(SELECT number FROM case_number)", []),
            street_id=RawSQL("(SELECT street_id FROM case_number)", []),
            unit=unit,
            source=source,
            category=category,
            received_on=received_on,
            description=description,
            handling_level=level_of(unit),
            created_by=by,
        )
        _write_intake(
            case,
            [CaseParty(case_id=_NEW_CASE, **party) for party in parties],
            CaseEvent(
                case_id=_NEW_CASE, kind=CaseEvent.Kind.RECEIVED, by=by, to_level=case.handling_level
            ),
            street_code,
        )
    return case


_NEW_CASE = RawSQL("(SELECT id FROM new_case)", [])


def _write_intake(case, parties, event, street_code: str) -> None:
    """The case numbered, with its parties, its first event and its tallies, in one statement
    (what saving each would do, in one round trip); `case` gets its id, number and street."""
    numbering, params = CaseNumberCounter.numbering(street_code, case.received_on.year)
    items = [numbering]
    for name, rows in (("new_case", [case]), ("new_parties", parties), ("new_event", [event])):
        if rows:
            sql, values = insert_sql(rows)
            returning = " RETURNING id, number, street_id" if name == "new_case" else ""
            items.append(f"{name} AS ({sql}{returning})")
            params += values
    tallies, values = counting(case.saved_facts(created=True))
    if tallies:
        items.append(tallies)
        params += values
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(items)} SELECT * FROM new_case", params)  # noqa: S608 -- built from the models' own INSERTs
        case.pk, case.number, case.street_id = cursor.fetchone()
    case._state.adding = False
    case._state.db = connection.alias


def case_move(
    *,
    by,
    case: DisputeCase,
    move: str,
    version: int,
    reason: str = "",
    resolved_on: date | None = None,
    outcome: str = "",
    referral: str = "",
    referred_body: str = "",
) -> DisputeCase:
    spec = MOVES.get(move)
    if spec is None or spec not in moves_for(by, case):
        raise ValidationError(
            {"move": _("This move is not open to you in the case's present state.")}
        )
    if spec.needs_reason and not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if spec.closes:
        if resolved_on is None:
            raise ValidationError({"resolved_on": _("Give the date the case closed.")})
        _check_dates(closed_on=resolved_on, case=case)
    if move == "refer" and (not referral or not referred_body.strip()):
        raise ValidationError({"referred_body": _("Say where the case was referred.")})
    with (
        transaction.atomic(),
        pghistory.context(user=by.pk, reason=f"case_{move}: {reason}".rstrip(": ")),
    ):
        current = DisputeCase.lock_at_version(case.pk, version)
        if current.status not in spec.from_statuses:
            raise ValidationError(
                {"move": _("This move is not open to you in the case's present state.")}
            )
        event = CaseEvent(case=current, by=by, reason=reason, from_level=current.handling_level)
        if move == "mediate":
            current.status = CaseStatus.MEDIATING
            event.kind = CaseEvent.Kind.MEDIATION_STARTED
        elif move == "resolve":
            current.status = CaseStatus.RESOLVED
            current.resolved_on = resolved_on
            current.settled_level = current.handling_level
            current.outcome = outcome or reason
            event.kind = CaseEvent.Kind.RESOLVED
        elif move == "refer":
            current.status = CaseStatus.UNRESOLVED
            current.resolved_on = resolved_on
            current.settled_level = ""
            current.referral = referral
            current.referred_body = referred_body
            current.outcome = outcome or reason
            event.kind = CaseEvent.Kind.REFERRED
        elif move == "escalate":
            current.handling_level = LEVEL_ORDER[_rank(current.handling_level) + 1]
            event.kind = CaseEvent.Kind.ESCALATED
        elif move == "reopen":
            current.status = CaseStatus.MEDIATING
            current.resolved_on = None
            current.settled_level = ""
            current.referral = ""
            current.referred_body = ""
            # The earlier outcome stays in the case's history (see earlier_outcomes).
            current.outcome = ""
            event.kind = CaseEvent.Kind.REOPENED
        event.to_level = current.handling_level
        current.save()
        event.save()
        return current


@dataclass(frozen=True)
class EarlierOutcome:
    """How a case stood when it was reopened, read back from its history."""

    status: str
    closed_on: date | None
    settled_level: str
    referral: str
    referred_body: str
    outcome: str
    reopened_at: datetime
    reopened_by: str
    reason: str


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def earlier_outcomes(case: DisputeCase) -> list[EarlierOutcome]:
    """Each outcome a reopening set aside, newest first: the values the reopen cleared, as
    pghistory recorded them (the record itself holds only the present outcome)."""
    from django.contrib.auth import get_user_model
    from pghistory.models import Events

    closed = {CaseStatus.RESOLVED, CaseStatus.UNRESOLVED}
    reopenings = []
    for event in Events.objects.tracks(case).filter(pgh_label="update").order_by("-pgh_id"):
        diff = event.pgh_diff or {}
        before, after = diff.get("status", [None, None])
        if before in closed and after not in closed:
            reopenings.append(event)
    users = {
        u.pk: str(u)
        for u in get_user_model().objects.filter(
            pk__in=[(e.pgh_context or {}).get("user") for e in reopenings]
        )
    }
    found = []
    for event in reopenings:
        old = {field: values[0] for field, values in event.pgh_diff.items()}
        context = event.pgh_context or {}
        reason = str(context.get("reason", ""))
        closed_on = old.get("resolved_on")
        found.append(
            EarlierOutcome(
                status=_label(CaseStatus, old["status"]),
                closed_on=date.fromisoformat(closed_on) if closed_on else None,
                settled_level=_label(HandlingLevel, old.get("settled_level")),
                referral=_label(Referral, old.get("referral")),
                referred_body=old.get("referred_body") or "",
                outcome=old.get("outcome") or "",
                reopened_at=event.pgh_created_at,
                reopened_by=users.get(context.get("user"), "—"),
                reason=reason.split(": ", 1)[1] if ": " in reason else "",
            )
        )
    return found
