"""A crawler over the portal as one user sees it: every link, htmx source and form it can reach,
capped per URL route so it stays small while still touching every kind of page."""

import html
import io
import re
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from tests.tasks import run_queued_tasks

LINK = re.compile(r'(?:href|hx-get|src)="([^"#]+)', re.I)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
SKIP = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/i18n/setlang/", "/__")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str
    disposition: str = ""  # "attachment; filename=…" for a download


@dataclass
class Form:
    action: str  # the path it posts to
    page: str  # the URL it was found on
    fields: dict[str, str]  # name -> the value the page filled in
    files: dict[str, str]  # file inputs: name -> element id


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    post_forms: set[str] = field(default_factory=set)
    forms: dict[str, Form] = field(default_factory=dict)  # one per action path
    links: set[str] = field(default_factory=set)  # every local URL seen, visited or not

    def paths(self) -> set[str]:
        return {urlsplit(url).path for url in self.pages}


def is_queued_export(response) -> bool:
    """An export too large for one request, queued for a task worker (core.exports)."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    return re.fullmatch(r"/exports/\d+/", location) is not None


def download(client: Client, url: str):
    """The file an export's address gives: at once, or written by a worker when it is queued."""
    response = client.get(url)
    if is_queued_export(response):
        run_queued_tasks()
        response = client.get(response["Location"] + "download/")
    return response


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def route_of(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


def readable(response) -> str:
    """The text a response carries: HTML, CSV or JSON as is; an XLSX's or DOCX's XML parts."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "openxmlformats" in kind or body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    if kind.startswith("image/") or kind == "application/octet-stream":
        return ""
    return body.decode("utf-8", "replace")


def crawl(client: Client, starts: list[str], per_route: int = 3, limit: int = 600) -> Crawl:
    found = Crawl()
    queue, queued = deque(starts), set(starts)
    found.links = queued
    per = Counter()
    while queue and len(found.pages) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        match = route_of(path)
        if match is None or path.startswith(SKIP):
            continue
        key = (match.route, bool(urlsplit(url).query))
        if per[key] >= per_route:
            continue
        per[key] += 1
        response = client.get(url)
        text = readable(response)
        disposition = response.get("Content-Disposition", "")
        if is_queued_export(response):
            # A large export answers its job page: a worker writes the file, which the job
            # page then links to and the crawl downloads.
            run_queued_tasks()
            disposition = f"queued {response['Location']}"
        found.pages[url] = Page(
            url, response.status_code, response.get("Content-Type", ""), text, disposition
        )
        links = LINK.findall(text) if "html" in found.pages[url].content_type else []
        if response.status_code in (301, 302, 303) and response.get("Location"):
            links.append(response["Location"])
        for raw in links:
            target = urljoin(url, html.unescape(raw))
            parts = urlsplit(target)
            if parts.netloc not in {"", "testserver"}:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in queued:
                queued.add(local)
                queue.append(local)
        for attributes, body in FORM.findall(text):
            if 'method="post"' in attributes.lower():
                action = re.search(r'action="([^"]*)"', attributes)
                target = urljoin(url, html.unescape(action.group(1))) if action else url
                path = urlsplit(target).path
                found.post_forms.add(path)
                found.forms.setdefault(path, _form(path, url, body))
    return found


def _attribute(attributes: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', attributes)
    return html.unescape(found.group(1)) if found else None


def _form(path: str, page: str, body: str) -> Form:
    fields, files = {}, {}
    for _tag, attributes in FIELD.findall(body):
        name = _attribute(attributes, "name")
        if not name:
            continue
        kind = (_attribute(attributes, "type") or "").lower()
        if kind == "file":
            files[name] = _attribute(attributes, "id") or f"id_{name}"
        elif kind not in {"submit", "button"}:
            fields.setdefault(name, _attribute(attributes, "value") or "")
    return Form(path, page, fields, files)


def personal_data_in(text: str) -> list[str]:
    return PHONE.findall(text) + ID_NUMBER.findall(text)
