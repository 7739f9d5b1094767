from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join

from core.panels import unit_panels as registered_panels

register = template.Library()


@register.filter
def is_in(value, container) -> bool:
    return bool(container) and value in container


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])


@register.simple_tag
def unit_panels(unit):
    """The blocks apps add to a unit's page (core.panels)."""
    return format_html_join(
        "", "{}", ((render_to_string(p.template, p.context(unit)),) for p in registered_panels())
    )
