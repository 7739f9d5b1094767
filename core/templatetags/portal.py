from django import template

from core import pages
from core.metrics.shown import figure_text
from core.timeline_markup import timeline_html

register = template.Library()


@register.filter
def is_in(value, container) -> bool:
    return bool(container) and value in container


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])


@register.simple_tag
def added_to_page(slot: str) -> list[str]:
    """The templates apps add to a slot of this page (core.pages)."""
    return pages.templates_for(slot)


@register.simple_tag
def public_links() -> list[dict]:
    """The public side's navigation: label, url and a line on what is there (core.pages)."""
    return pages.public_links()


@register.filter
def figure(value, metric=None) -> str:
    """A figure as every page writes it: 65,400; 75.0% for a rate (core.metrics.shown)."""
    return figure_text(value, metric)


@register.filter
def zip_with(values, others) -> list[tuple]:
    """[(value, other)] pairs of two lists of one length: a row's figures with their metrics."""
    return list(zip(values, others, strict=True))


@register.simple_tag
def timeline_list(entries):
    """The <ol> of a record's timeline (core.timeline_markup)."""
    return timeline_html(entries)
