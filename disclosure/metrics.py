"""Figures of village-affairs disclosure, 四议两公开, supervision and satisfaction."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.groups import Group
from core.metrics.drills import Column, Drill, register_drill
from core.metrics.registry import Metric, register, register_source
from disclosure.models import (
    Decision,
    DisclosureDue,
    DisclosurePost,
    Finding,
    SupervisionMember,
    SurveyAnswer,
)

DISCLOSURE_METRICS = [
    Metric(
        "disclosure.published",
        _("Disclosures published"),
        _("Disclosure posts published in the period (each edition of a correction counts)."),
        "count",
        ("disclosure.published",),
        _("posts"),
        order=60,
        group=Group.VILLAGE_AFFAIRS,
        headline=True,
        phrase=_("%(value)s village-affairs disclosures published"),
    ),
    Metric(
        "disclosure.overdue",
        _("Disclosures overdue"),
        _(
            "Catalogue periods past their due date (period end plus 10 days; 31 for yearly "
            "items) and not yet disclosed, as of the end of the period."
        ),
        "stock",
        ("disclosure.overdue",),
        _("items"),
        order=61,
        group=Group.VILLAGE_AFFAIRS,
    ),
    Metric(
        "decisions.completed",
        _("四议两公开 decisions completed"),
        _("Decisions whose sixth step (实施结果公开) fell in the period, all six steps passed."),
        "count",
        ("decisions.completed",),
        _("decisions"),
        order=62,
        group=Group.VILLAGE_AFFAIRS,
        phrase=_("%(value)s decisions completed through 四议两公开"),
    ),
    Metric(
        "supervision.observers",
        _("Construction observers"),
        _("村居建设观察员 serving at the end of the period."),
        "stock",
        ("supervision.observers",),
        _("people"),
        order=63,
        group=Group.VILLAGE_AFFAIRS,
    ),
    Metric(
        "findings.open",
        _("Supervision findings open"),
        _("Findings not yet signed off by the supervision committee at the end of the period."),
        "stock",
        ("findings.open",),
        _("items"),
        order=64,
        group=Group.VILLAGE_AFFAIRS,
    ),
    Metric(
        "findings.overdue",
        _("Supervision findings overdue"),
        _("Findings past their deadline and not signed off, at the end of the period."),
        "stock",
        ("findings.overdue",),
        _("items"),
        order=65,
        group=Group.VILLAGE_AFFAIRS,
    ),
    Metric(
        "findings.rectified",
        _("Items rectified"),
        _("Supervision findings rectified and signed off by the committee in the period."),
        "count",
        ("findings.rectified",),
        _("items"),
        order=66,
        group=Group.VILLAGE_AFFAIRS,
        phrase=_("%(value)s items rectified under supervision"),
    ),
    Metric(
        "survey.answers",
        _("Survey answers"),
        _("Valid satisfaction-survey answers given in the period, one per household code."),
        "count",
        ("survey.answers",),
        _("answers"),
        order=67,
        group=Group.VILLAGE_AFFAIRS,
    ),
    Metric(
        "survey.satisfaction",
        _("Villager satisfaction"),
        _("(非常满意 + 满意) ÷ all valid survey answers given in the period."),
        "rate",
        ("survey.satisfied", "survey.answers"),
        "%",
        order=68,
        group=Group.VILLAGE_AFFAIRS,
        phrase=_("villager satisfaction of %(value)s%%"),
        basis=_("of valid survey answers given in the period"),
    ),
]

for item in DISCLOSURE_METRICS:
    register(item)

register_source(DisclosureDue)
register_source(DisclosurePost)
register_source(Decision)
register_source(Finding)
register_source(SupervisionMember)
register_source(SurveyAnswer)


def _in(unit, path: str = "unit__path") -> Q:
    return Q(**{f"{path}__startswith": unit.path})


def _between(name, p):
    return {f"{name}__gte": p.start, f"{name}__lte": p.end}


def _register_drills() -> None:
    post_columns = (
        Column(_("Title"), lambda p: p.title, link=True),
        Column(_("Village"), lambda p: p.unit.name),
        Column(_("Category"), lambda p: p.get_category_display()),
        Column(_("Published on"), lambda p: p.published_on),
        Column(_("Edition"), lambda p: p.edition),
    )
    register_drill(
        "disclosure.published",
        drill=Drill(
            lambda u, p: DisclosurePost.objects.filter(
                _in(u), status="published", **_between("published_on", p)
            ).select_related("unit"),
            post_columns,
            "published_on",
        ),
    )
    register_drill(
        "disclosure.overdue",
        drill=Drill(
            lambda u, p: (
                DisclosureDue.objects.filter(_in(u), due_on__lt=p.end)
                .filter(Q(fulfilled_on__isnull=True) | Q(fulfilled_on__gt=p.end))
                .select_related("unit", "item")
            ),
            (
                Column(_("Village"), lambda d: d.unit.name),
                Column(_("Item"), lambda d: d.item.title),
                Column(_("Period"), lambda d: f"{d.period_start}–{d.period_end}"),
                Column(_("Due on"), lambda d: d.due_on),
            ),
            "due_on",
        ),
    )
    register_drill(
        "decisions.completed",
        drill=Drill(
            lambda u, p: Decision.objects.filter(
                _in(u), status="completed", **_between("completed_on", p)
            ).select_related("unit"),
            (
                Column(_("Matter"), lambda d: d.title, link=True),
                Column(_("Village"), lambda d: d.unit.name),
                Column(_("Completed on"), lambda d: d.completed_on),
            ),
            "completed_on",
        ),
    )
    register_drill(
        "supervision.observers",
        drill=Drill(
            lambda u, p: (
                SupervisionMember.objects.filter(_in(u), kind="observer", since__lte=p.end)
                .filter(Q(until__isnull=True) | Q(until__gt=p.end))
                .select_related("unit")
            ),
            (
                Column(_("Full name"), lambda m: str(m).split(" · ")[0]),
                Column(_("Village"), lambda m: m.unit.name),
                Column(_("Serving since"), lambda m: m.since),
            ),
            "since",
        ),
    )
    finding_columns = (
        Column(_("What was found"), lambda f: f.title, link=True),
        Column(_("Village"), lambda f: f.unit.name),
        Column(_("Found on"), lambda f: f.found_on),
        Column(_("Rectify by"), lambda f: f.deadline),
        Column(_("Signed off on"), lambda f: f.signed_off_on or "—"),
    )
    findings = lambda u: Finding.objects.filter(_in(u)).select_related("unit")  # noqa: E731
    register_drill(
        "findings.rectified",
        drill=Drill(
            lambda u, p: findings(u).filter(**_between("signed_off_on", p)),
            finding_columns,
            "found_on",
        ),
    )
    register_drill(
        "findings.open",
        drill=Drill(
            lambda u, p: (
                findings(u)
                .filter(found_on__lte=p.end)
                .filter(Q(signed_off_on__isnull=True) | Q(signed_off_on__gt=p.end))
            ),
            finding_columns,
            "found_on",
        ),
    )
    register_drill(
        "findings.overdue",
        drill=Drill(
            lambda u, p: (
                findings(u)
                .filter(deadline__lt=p.end)
                .filter(Q(signed_off_on__isnull=True) | Q(signed_off_on__gt=p.end))
            ),
            finding_columns,
            "found_on",
        ),
    )
    register_drill(
        "survey.answers",
        "survey.satisfaction",
        drill=Drill(
            lambda u, p: SurveyAnswer.objects.filter(
                _in(u), **_between("answered_on", p)
            ).select_related("unit", "survey"),
            (
                Column(_("Survey"), lambda a: a.survey.title),
                Column(_("Village"), lambda a: a.unit.name),
                Column(_("Answered on"), lambda a: a.answered_on),
                Column(_("Answer"), lambda a: a.get_rating_display()),
            ),
            "answered_on",
        ),
    )


_register_drills()
