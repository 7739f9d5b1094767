"""The disclosure home's lists written in Python, each row the markup home.html wrote for it:
through the template every row cost a `reverse`, translated labels and a dozen lookups."""

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exports import choice_labels
from disclosure.models import DisclosureItem, DisclosurePost

DATE = "%Y-%m-%d"


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 -- every part is escaped or our own markup


def _post_link(post) -> str:
    href = reverse("governance:post_detail", kwargs={"pk": 0}).replace("/0/", f"/{post.pk}/")
    return f'<a href="{href}">{conditional_escape(post.title)}</a>'


def awaiting_items(posts) -> list[SafeString]:
    return [
        _safe(
            f'<li>{_post_link(p)} <span class="meta">{conditional_escape(p.unit.name)} · '
            f"{p.period_start.strftime(DATE)}–{p.period_end.strftime(DATE)}</span></li>"
        )
        for p in posts
    ]


def draft_items(posts) -> list[SafeString]:
    status = choice_labels(DisclosurePost, "status")
    return [
        _safe(
            f'<li>{_post_link(p)} <span class="status">{conditional_escape(status[p.status])}'
            f'</span> <span class="meta">{conditional_escape(p.unit.name)}</span></li>'
        )
        for p in posts
    ]


def published_items(posts) -> list[SafeString]:
    items = []
    for p in posts:
        edition = ""
        if p.edition > 1:
            edition = " · " + conditional_escape(_("edition %(n)s") % {"n": p.edition})
        items.append(
            _safe(
                f'<li>{_post_link(p)} <span class="meta">{conditional_escape(p.unit.name)} · '
                f"{p.published_on.strftime(DATE)}{edition}</span></li>"
            )
        )
    return items


def catalogue_rows(catalogue, can_draft: bool) -> list[SafeString]:
    words = {
        w: conditional_escape(_(w))
        for w in ("Village", "Category", "Item", "Cadence", "Latest period due", "State")
    }
    categories = choice_labels(DisclosureItem, "category")
    cadences = choice_labels(DisclosureItem, "cadence")
    create = reverse("governance:post_create")
    disclosed = f'<span class="status status-resolved">{conditional_escape(_("Disclosed"))}</span>'
    rows = []
    for row in catalogue:
        item, latest, overdue = row["item"], row["latest"], row["overdue"]
        title = conditional_escape(item.title)
        if can_draft:
            title = f'<a href="{create}?item={item.pk}">{title}</a>'
        due = "—"
        if latest:
            due = (
                f"{latest.period_start.strftime(DATE)}–{latest.period_end.strftime(DATE)} · "
                + conditional_escape(_("due %(d)s") % {"d": latest.due_on.strftime(DATE)})
            )
        state = "—"
        if overdue:
            late = ngettext("%(n)s overdue", "%(n)s overdue", overdue) % {"n": overdue}
            state = f'<span class="badge warn">{conditional_escape(late)}</span>'
        elif latest and latest.fulfilled_on:
            state = disclosed
        rows.append(
            _safe(
                f'<tr><td data-label="{words["Village"]}">{conditional_escape(item.unit.name)}'
                f'</td><td data-label="{words["Category"]}">'
                f"{conditional_escape(categories.get(item.category, item.category))}</td>\n"
                f'        <td data-label="{words["Item"]}">{title}</td>\n'
                f'        <td data-label="{words["Cadence"]}">'
                f"{conditional_escape(cadences.get(item.cadence, item.cadence))}</td>\n"
                f'        <td data-label="{words["Latest period due"]}">{due}</td>\n'
                f'        <td data-label="{words["State"]}">{state}</td></tr>'
            )
        )
    return rows
