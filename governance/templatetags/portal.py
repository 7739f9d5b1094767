from django import template

from governance.privacy import mask as mask_value

register = template.Library()


@register.filter
def is_in(value, container) -> bool:
    return bool(container) and value in container


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])


@register.filter
def mask(value, kind: str) -> str:
    return mask_value(value, kind)
