"""The portal's form renderer: Django's own form templates, except that a <select>, and a list
of checkboxes or radio buttons, is written in Python. Through the templates every option costs
an `{% include %}` of two templates, and a unit picker holds hundreds of options: on the case
list that was a third of the page's time. The HTML is the templates' to the byte
(tests/core/test_form_renderer.py holds the two equal)."""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape

__all__ = ["PortalFormRenderer"]

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
MULTIPLE = ("django/forms/widgets/checkbox_select.html", "django/forms/widgets/radio.html")
INPUT_OPTIONS = (
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
)
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


def _input_option(option: dict) -> str:
    """django/forms/widgets/checkbox_option.html (or radio_option.html), that is
    input_option.html and input.html within it."""
    attrs = option["attrs"]
    html = []
    if option.get("wrap_label"):
        html.append(f' for="{_text(attrs["id"])}"' if attrs.get("id") else "")
        html[-1] = f"<label{html[-1]}>"
    value = option["value"]
    html.append(
        f'<input type="{_text(option["type"])}" name="{_text(option["name"])}"'
        + (f' value="{conditional_escape(str(value))}"' if value is not None else "")
        + f"{_attrs(attrs)}>\n"  # each template file ends with a newline
    )
    if option.get("wrap_label"):
        html.append(f" {_text(option['label'])}</label>")
    html.append("\n\n")  # input_option.html's, then checkbox_option.html's (radio_option's)
    return "".join(html)


def multiple_input_html(widget: dict) -> str:
    """django/forms/widgets/multiple_input.html (checkboxes, radio buttons) with each option's
    input_option.html, stripped as the renderer strips a template's output."""
    attrs = widget["attrs"]
    html = ["<div"]
    if attrs.get("id"):
        html.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        html.append(f' class="{_text(attrs["class"])}"')
    html.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in options:
            html.append(f"<div>\n    {_input_option(option)}</div>")
        if group_name:
            html.append("\n  </div>")
    html.append("\n</div>")
    return "".join(html).strip()


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and widget and _plain_options(widget, OPTION):
            return select_html(widget)
        if template_name in MULTIPLE and widget and _plain_options(widget, *INPUT_OPTIONS):
            return multiple_input_html(widget)
        return super().render(template_name, context, request=request)


def _plain_options(widget: dict, *templates: str) -> bool:
    """Every option drawn by Django's own option template (a widget may name another)."""
    return all(
        option.get("template_name") in templates
        for _name, options, _index in widget["optgroups"]
        for option in options
    )
