"""What disclosure adds to the landing page (core/worklist.py): a clerk's dues and returned
posts, with a "draft now" that opens the post form filled in; a supervisor's posts to review and
findings to sign off; an observer's open findings."""

import calendar
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from core.worklist import Button, Desk, Item, add_work, queue
from disclosure.models import DisclosureDue, DisclosureItem, DisclosurePost, Finding, PostStatus
from disclosure.roles import Action
from disclosure.services.disclosure import dues_ensure

__all__ = ["register"]


def _due_item(desk: Desk):
    def item(due: DisclosureDue) -> Item:
        late = (desk.today - due.due_on).days
        return Item(
            title=due.item.title,
            meta=_("%(unit)s · period %(start)s to %(end)s · due %(due)s")
            % {
                "unit": due.unit.name,
                "start": f"{due.period_start:%Y-%m-%d}",
                "end": f"{due.period_end:%Y-%m-%d}",
                "due": f"{due.due_on:%Y-%m-%d}",
            },
            flag=_("overdue %(n)s days") % {"n": late} if late > 0 else "",
            action=_("Draft now"),
            action_url=f"{reverse('governance:post_create')}?{urlencode({'due': due.pk})}",
        )

    return item


def _post_item(action: str, url_name: str):
    def item(post: DisclosurePost) -> Item:
        return Item(
            title=post.title,
            url=post.get_absolute_url(),
            meta=f"{post.unit.name} · {post.period_start:%Y-%m-%d}–{post.period_end:%Y-%m-%d}",
            action=action,
            action_url=reverse(url_name, kwargs={"pk": post.pk}),
        )

    return item


def _finding_item(desk: Desk):
    def item(finding: Finding) -> Item:
        late = (desk.today - finding.deadline).days
        return Item(
            title=finding.title,
            url=finding.get_absolute_url(),
            meta=f"{finding.unit.name} · {finding.get_state_display()} · "
            f"{finding.deadline:%Y-%m-%d}",
            flag=_("overdue %(n)s days") % {"n": late} if late > 0 else "",
        )

    return item


def clerk_work(desk: Desk):
    home = reverse("governance:disclosure_home")
    yield Button(_("Draft a disclosure"), reverse("governance:post_create"))
    dues_ensure(DisclosureItem.objects.for_user(desk.user, Action.DRAFT_DISCLOSURE), desk.today)
    dues = (
        DisclosureDue.objects.for_user(desk.user, Action.DRAFT_DISCLOSURE)
        .filter(desk.within(), fulfilled_on__isnull=True)
        .select_related("item", "unit")
    )
    month_end = desk.today.replace(day=calendar.monthrange(desk.today.year, desk.today.month)[1])
    yield queue(
        _("Overdue disclosures"),
        dues.filter(due_on__lt=desk.today).order_by("due_on", "pk"),
        _due_item(desk),
        home,
    )
    yield queue(
        _("Due this month"),
        dues.filter(due_on__gte=desk.today, due_on__lte=month_end).order_by("due_on", "pk"),
        _due_item(desk),
        home,
    )
    posts = DisclosurePost.objects.for_user(desk.user, Action.DRAFT_DISCLOSURE).filter(
        desk.within()
    )
    yield queue(
        _("Returned to you with comments"),
        posts.filter(status=PostStatus.RETURNED).select_related("unit").order_by("-pk"),
        _post_item(_("Revise"), "governance:post_edit"),
        home,
    )


def supervisor_work(desk: Desk):
    posts = DisclosurePost.objects.for_user(desk.user, Action.REVIEW_DISCLOSURE).filter(
        desk.within(), status=PostStatus.IN_REVIEW
    )
    yield queue(
        _("Posts awaiting your review"),
        posts.select_related("unit").order_by("pk"),
        _post_item(_("Review"), "governance:post_detail"),
        reverse("governance:disclosure_home"),
    )
    findings = Finding.objects.for_user(desk.user, Action.REVIEW_DISCLOSURE).filter(
        desk.within(), signed_off_on__isnull=True, responded_on__isnull=False
    )
    yield queue(
        _("Findings to sign off"),
        findings.select_related("unit").order_by("deadline", "pk"),
        _finding_item(desk),
        f"{reverse('governance:supervision_home')}?state=open",
    )


def observer_work(desk: Desk):
    yield Button(_("File a finding"), reverse("governance:finding_create"))
    findings = Finding.objects.for_user(desk.user, Action.FILE_FINDINGS).filter(
        desk.within(), signed_off_on__isnull=True
    )
    yield queue(
        _("Findings not yet rectified"),
        findings.select_related("unit").order_by("deadline", "pk"),
        _finding_item(desk),
        f"{reverse('governance:supervision_home')}?state=open",
    )


def register() -> None:
    add_work("village_clerk", clerk_work, 10)
    add_work("supervisor", supervisor_work, 10)
    add_work("supervisor", observer_work, 20)
    add_work("observer", observer_work, 10)
