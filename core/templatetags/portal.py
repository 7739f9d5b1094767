from django import template

register = template.Library()


@register.filter
def is_in(value, container) -> bool:
    return bool(container) and value in container


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])
