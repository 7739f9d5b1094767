"""The portal's form renderer writes a <select> in Python: the same HTML, to the byte, as
Django's own templates write."""

import datetime

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms.renderer import PortalFormRenderer

CHOICES = [
    ("", "---------"),
    ("a&b", 'Quotes " and <tags>'),
    (3, _("Unit tree")),
    ("safe", mark_safe("<b>bold</b>")),
]
GROUPED = [
    ("", "—"),
    (_("My work"), [("x", "十"), ("y", "Y & Z")]),
    ("Dates", [(datetime.date(2026, 12, 6), datetime.date(2026, 12, 6)), (7, 7)]),
]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    yes_no = forms.NullBooleanField()
    with_attrs = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"hx-get": "/a?b=1&c=2", "disabled": True, "hidden": False}),
    )
    empty = forms.ChoiceField(choices=[], required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:], required=False, widget=forms.CheckboxSelectMultiple
    )
    grouped_boxes = forms.MultipleChoiceField(
        choices=GROUPED[1:],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "grid & more"}),
    )
    radio = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)
    no_id = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)


def both(data=None) -> list[tuple[str, str]]:
    pairs = []
    for renderer in (DjangoTemplates(), PortalFormRenderer()):
        form = Everything(data, renderer=renderer)
        form.fields["no_id"].widget.attrs["id"] = ""
        pairs.append([str(form[name]) for name in form.fields])
        pairs[-1].append(str(Everything(data, renderer=renderer, auto_id=False)["radio"]))
    return list(zip(*pairs, strict=True))


def test_a_select_is_the_html_djangos_templates_write_unbound_and_bound():
    chosen = {"boxes": ["a&b", "3"], "grouped_boxes": ["y", "7"], "radio": "safe"}
    for data in (
        None,
        {"plain": "a&b", "grouped": "y", "many": ["x", "7"], "yes_no": "true", **chosen},
    ):
        for django_html, portal_html in both(data):
            assert portal_html == django_html


def test_checkboxes_are_written_in_python(monkeypatch):
    from django.forms import renderers

    drawn = []
    monkeypatch.setattr(
        renderers.DjangoTemplates, "render", lambda self, name, *a, **k: drawn.append(name) or ""
    )
    str(Everything(renderer=PortalFormRenderer())["boxes"])
    assert drawn == []


def test_the_portal_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "core.forms.renderer.PortalFormRenderer"
    html = str(Everything()["plain"])
    assert '<option value="a&amp;b">Quotes &quot; and &lt;tags&gt;</option>' in html
    assert "<b>bold</b>" in html
