from django import template

from core.redaction import redact

register = template.Library()


@register.filter
def redacted(value):
    """ID numbers and mobile numbers in free text, masked."""
    return redact(value)
