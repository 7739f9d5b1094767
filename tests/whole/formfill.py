"""Shared by the whole-portal form tests: the forms the crawler finds as each kind of user,
read as a browser reads them, and data a browser could post to them."""

import re
import uuid

from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from core.models import User
from tests.crawl import crawl
from tests.htmlforms import Field, HtmlForm, forms_in

# Every demo account, and nobody logged in: between them they reach every form of the portal.
ROLES = [
    None,
    "district",
    "aishan",
    "meiyuan",
    "meiyuan_grid",
    "liuqiaoyu_clerk",
    "liuqiaoyu_supervisor",
    "liuqiaoyu_observer",
    "hongou_volunteers",
    "judge",
    "yongxing_points",
]
BUTTONLESS = {"csrfmiddlewaretoken"}
# Text a person types freely, as opposed to text with a format of its own.
FORMATTED_TEXT = re.compile(
    r"(^|[-_])(phone|id_number|code|username|number|amount|declared_\w+|website|password)$"
)


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def route(action: str) -> str:
    try:
        return resolve(action.split("?")[0]).route
    except Resolver404:
        return action


def signature(form: HtmlForm) -> tuple:
    """Forms of one kind: the same route, the same fields (and the same fixed hidden values,
    which tell apart the moves a record can make)."""
    hidden = tuple(
        sorted(
            (f.name, f.value)
            for f in form.fields
            if f.kind == "hidden" and f.name in {"move", "to_stage", "form", "list"}
        )
    )
    return (route(form.action), form.names(), hidden)


MOVES = {"move", "to_stage"}


def is_move(form: HtmlForm) -> bool:
    """A form that moves a record to another state (as opposed to editing its fields)."""
    return any(f.kind == "hidden" and f.name in MOVES for f in form.fields)


# Links the crawls saw but did not follow (it visits a few pages per route), by user: where
# `more_instances` looks for further records to try a form on.
UNVISITED: dict[str | None, set[str]] = {}
# The files (XLSX, CSV, DOCX, JSON) the crawls downloaded, by user.
DOWNLOADS: dict[str | None, set[str]] = {}


def discover(usernames=ROLES, per_kind: int = 3) -> dict[tuple, list[tuple[str | None, HtmlForm]]]:
    """A few crawled instances of every kind of POST form: {signature: [(username, form)]}."""
    found: dict[tuple, list[tuple[str | None, HtmlForm]]] = {}
    for username in usernames:
        client = client_for(username)
        starts = ["/", "/public/figures/"] if username is None else ["/home/", "/dashboard/"]
        crawled = crawl(client, starts, per_route=2)
        pages = crawled.pages
        UNVISITED[username] = crawled.links - set(pages)
        DOWNLOADS[username] = {
            url
            for url, page in pages.items()
            if "attachment" in page.disposition or page.disposition.startswith("queued")
        }
        for url, page in pages.items():
            if page.status != 200 or "html" not in page.content_type:
                continue
            for form in forms_in(page.text, url):
                if form.method == "post":
                    kind = found.setdefault(signature(form), [])
                    if len(kind) < per_kind and all(f.action != form.action for _u, f in kind):
                        kind.append((username, form))
    return found


def more_instances(username: str | None, form: HtmlForm, limit: int = 12):
    """The same kind of form on other records: pages of the same route the crawl saw a link
    to but did not visit, for when the crawled records cannot take the change (a unit that
    still has children cannot retire)."""
    client = client_for(username)
    page_route = route(form.page)
    tried = 0
    for url in sorted(UNVISITED.get(username, ())):
        if tried >= limit:
            return
        if route(url) != page_route or "?" in url:
            continue
        tried += 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        for other in forms_in(response.content.decode(), url):
            if signature(other) == signature(form):
                yield username, other


def reopen(client: Client, form: HtmlForm) -> HtmlForm | None:
    """The same form as the page shows it now."""
    response = client.get(form.page)
    if response.status_code != 200:
        return None
    for again in forms_in(response.content.decode(), form.page):
        if signature(again) == signature(form) and again.action == form.action:
            return again
    return None


def submit_button(form: HtmlForm) -> Field | None:
    """The button a person presses to send the form (not a 'refresh' or secondary one)."""
    buttons = form.buttons
    plain = [b for b in buttons if not b.name]
    return (plain or buttons or [None])[-1]


def free_text_fields(form: HtmlForm) -> list[Field]:
    return [
        f
        for f in form.fields
        if f.name
        and not f.disabled
        and (f.kind == "textarea" or (f.tag == "input" and f.kind in {"text", "search"}))
        and not FORMATTED_TEXT.search(f.name)
        and f.attrs.get("inputmode") not in {"numeric", "decimal"}
        and not f.attrs.get("pattern")
    ]


def text_for(field: Field, text: str) -> str:
    limit = int(field.attrs.get("maxlength") or 0)
    return text[:limit] if limit else text


def generic_value(field: Field) -> list[str] | None:
    """A value a person would enter in a required field left empty, or None when there is no
    generic one (the caller's table of values may know it)."""
    today = timezone.localdate()
    if field.kind == "date":
        return [field.attrs.get("max") or today.isoformat()]
    if field.kind == "datetime-local":
        return [f"{today.isoformat()}T09:00"]
    if field.kind == "number":
        low = field.attrs.get("min")
        return [low if low not in (None, "") and float(low) > 0 else "1"]
    if field.kind == "select":
        usable = [v for v, _sel, off, _label in field.options if v and not off]
        return usable[:1] or None
    if field.kind in {"text", "textarea", "search"} and not FORMATTED_TEXT.search(field.name):
        return [text_for(field, f"测试{uuid.uuid4().hex[:6]}")]
    if field.kind == "email":
        return [f"t{uuid.uuid4().hex[:8]}@example.cn"]
    return None


def fill(
    form: HtmlForm, explicit: dict | None = None, eager: bool = False
) -> tuple[dict, list[str]]:
    """What a browser posts after a person filled every required field (every empty field,
    when eager): (data, names of the fields nobody knew a value for). `explicit` gives values
    by field name, as lists or as callables (form, field, data) -> list, used after the rest."""
    explicit = explicit or {}
    data = form.data(submit_button(form))
    unknown = []
    for field in form.fields:
        if not field.name or field in form.buttons or field.disabled or field.name in explicit:
            continue
        empty = not any(v.strip() for v in data.get(field.name, []))
        if not ((field.required or eager) and empty) or field.kind in {
            "hidden",
            "file",
            "checkbox",
            "radio",
        }:
            continue
        value = generic_value(field)
        if value is None and field.required:
            unknown.append(field.name)
        elif value is not None:
            data[field.name] = value
    for name in {f.name for f in form.fields if f.kind == "radio" and f.name}:
        radios = [f for f in form.fields if f.name == name and not f.disabled]
        wanted = eager or any(f.required for f in radios)  # a person picks one of the options
        if radios and wanted and not data.get(name) and name not in explicit:
            data[name] = [radios[0].value]
    if eager:
        for name in {f.name for f in form.fields if f.kind == "checkbox" and f.name}:
            boxes = [f for f in form.fields if f.name == name and not f.disabled]
            if boxes and not data.get(name) and name not in explicit:
                data[name] = [boxes[0].value or "on"]
    for field in form.fields:
        if field.name in explicit and field not in form.buttons:
            value = explicit[field.name]
            data[field.name] = list(value(form, field, data) if callable(value) else value)
    return data, unknown


def errors_in(html: str) -> list[str]:
    """The error messages a page shows next to fields and above forms."""
    found = re.findall(
        r'class="(?:field-error|form-errors|errorlist)[^"]*"[^>]*>(.*?)</(?:p|div|ul)>', html, re.S
    )
    return [" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in found if e.strip()]


def portal_modules(kind: str) -> list:
    """Every module of the portal's own apps called kind: an app's forms.py, say, or each module
    of its forms/ package."""
    import importlib
    import pkgutil
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    found = []
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue
        try:
            package = importlib.import_module(f"{config.name}.{kind}")
        except ModuleNotFoundError:
            continue
        found.append(package)
        for module_info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            found.append(importlib.import_module(f"{package.__name__}.{module_info.name}"))
    return found


def form_classes_in_views(field_name: str) -> set[type]:
    """Form classes with the given field that some view module of the portal uses."""
    import inspect

    from django import forms

    found = set()
    for module in portal_modules("views"):
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and field_name in value.base_fields
            ):
                found.add(value)
    return found
