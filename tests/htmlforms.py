"""Forms read from a page as a browser reads them: every field with its type, value, whether it
is checked, and a select's options; submit buttons with their own name and value."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    tag: str  # input, select, textarea, button
    kind: str  # the input's type ("text", "hidden", "checkbox", ...), "select", "textarea"
    name: str
    value: str
    checked: bool = False
    multiple: bool = False
    required: bool = False
    disabled: bool = False
    # a select's options: (value, selected, disabled, label)
    options: list[tuple[str, bool, bool, str]] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class HtmlForm:
    page: str  # the URL the form was found on
    action: str  # the path it posts to
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    def named(self, name: str) -> list[Field]:
        return [f for f in self.fields if f.name == name]

    def value(self, name: str) -> str | None:
        found = [f for f in self.fields if f.name == name and f.tag != "button"]
        return found[0].value if found else None

    @property
    def buttons(self) -> list[Field]:
        return [f for f in self.fields if f.tag == "button" or f.kind in {"submit", "image"}]

    def names(self) -> tuple[str, ...]:
        return tuple(sorted({f.name for f in self.fields if f.name and f not in self.buttons}))

    def data(self, button: Field | None = None) -> dict[str, list[str]]:
        """What a browser posts: successful controls with their current values."""
        posted: dict[str, list[str]] = {}
        for f in self.fields:
            if not f.name or f.disabled or f.kind == "file":
                continue
            if f in self.buttons:
                if f is button:
                    posted.setdefault(f.name, []).append(f.value)
                continue
            if f.kind in {"checkbox", "radio"}:
                if f.checked:
                    posted.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = [v for v, selected, _off, _label in f.options if selected]
                if not chosen and not f.multiple and f.options:
                    chosen = [f.options[0][0]]
                posted.setdefault(f.name, []).extend(chosen)
            else:
                posted.setdefault(f.name, []).append(f.value)
        return posted


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: Field | None = None
        self.option: list | None = None
        self.textarea: Field | None = None
        self.button: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self.form = HtmlForm(
                page=self.url,
                action=_local(action),
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        common = {
            "name": a.get("name", ""),
            "required": "required" in a,
            "disabled": "disabled" in a,
            "attrs": a,
        }
        if tag == "input":
            kind = a.get("type", "text").lower()
            self.form.fields.append(
                Field("input", kind, value=a.get("value", ""), checked="checked" in a, **common)
            )
        elif tag == "select":
            self.select = Field("select", "select", value="", multiple="multiple" in a, **common)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self._close_option()
            self.option = [a.get("value"), "selected" in a, "disabled" in a, ""]
        elif tag == "textarea":
            self.textarea = Field("textarea", "textarea", value="", **common)
            self.form.fields.append(self.textarea)
        elif tag == "button":
            kind = a.get("type", "submit").lower()
            if kind == "submit":
                self.button = Field("button", kind, value=a.get("value", ""), **common)
                self.form.fields.append(self.button)

    def _close_option(self):
        if self.option is not None and self.select is not None:
            value, selected, off, text = self.option
            label = " ".join(text.split())
            self.select.options.append((label if value is None else value, selected, off, label))
        self.option = None

    def handle_data(self, data):
        if self.option is not None:
            self.option[3] += data
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "button":
            self.button = None


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def forms_in(html: str, url: str) -> list[HtmlForm]:
    parser = _Parser(url)
    parser.feed(html)
    parser.close()
    return parser.forms
