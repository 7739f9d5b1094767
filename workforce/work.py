"""What workforce adds to the landing page (core/worklist.py): a judge's rounds still to score."""

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from core.worklist import Button, Desk, Item, add_work, queue
from workforce.models import Competition, CompetitionRound, Entrant, Score
from workforce.roles import Action

__all__ = ["register"]


def judge_work(desk: Desk):
    yield Button(_("Skills competition"), reverse("governance:competition_list"))
    visible = Competition.objects.for_user(desk.user, Action.JUDGE).values("pk")
    scored = (
        Score.objects.filter(round=OuterRef("pk"), judge=desk.user)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entrants = (
        Entrant.objects.filter(competition=OuterRef("competition"))
        .order_by()
        .values("competition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rounds = (
        CompetitionRound.objects.filter(
            judges=desk.user,
            competition__in=visible,
            competition__status=Competition.Status.SCORING,
        )
        .select_related("competition")
        .annotate(
            scored=Coalesce(Subquery(scored), 0),
            entrants=Coalesce(Subquery(entrants), 0),
        )
        .filter(scored__lt=F("entrants"))
        .order_by("competition__held_on", "order", "pk")
    )

    def item(round_: CompetitionRound) -> Item:
        competition = round_.competition
        url = reverse(
            "governance:competition_scores",
            kwargs={"pk": competition.pk, "round_pk": round_.pk},
        )
        return Item(
            title=f"{competition.name} · {round_.get_kind_display()}",
            url=url,
            meta=_("%(day)s · scored %(done)s of %(all)s")
            % {
                "day": f"{competition.held_on:%Y-%m-%d}",
                "done": round_.scored,
                "all": round_.entrants,
            },
            action=_("Enter scores"),
            action_url=url,
        )

    yield queue(_("Rounds to score"), rounds, item, reverse("governance:competition_list"))


def register() -> None:
    add_work("competition_judge", judge_work, 10)
