"""The portal's form renderer: Django's own form templates, except that a <select> is written in
Python. Through the templates every option costs an `{% include %}` of two templates, and a unit
picker holds hundreds of options: on the case list that was a third of the page's time. The HTML
is the templates' to the byte (tests/core/test_form_renderer.py holds the two equal)."""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape

__all__ = ["PortalFormRenderer"]

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# What `{{ value }}` in a form template sees: autoescape on, localization and time zone on.
TEMPLATE_CONTEXT = Context(autoescape=True)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        html.append(f" {conditional_escape(name)}")
        if value is not True:
            html.append(f'="{conditional_escape(str(value))}"')
    return "".join(html)


def _text(value) -> str:
    return render_value_in_context(value, TEMPLATE_CONTEXT)


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html with each option's select_option.html, stripped as the
    renderer strips a template's output."""
    html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            html.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html).strip()


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and widget and _plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request=request)


def _plain_options(widget: dict) -> bool:
    """Every option drawn by Django's own option template (a widget may name another)."""
    return all(
        option.get("template_name") == OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )
