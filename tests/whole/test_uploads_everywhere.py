"""Every upload field the portal offers refuses a corpus of hostile files with a message next to
the field and changes nothing; every file field of every form is the one photo field (which
re-encodes, dropping EXIF and GPS) or a declared import field that parses the file itself."""

import pytest
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.models import User
from core.uploads import MAX_UPLOAD_BYTES, PhotoField
from tests.core.test_uploads import encoded, noise, png_header_only
from tests.crawl import crawl
from tests.whole.formfill import portal_modules

pytestmark = pytest.mark.django_db


def _corpus() -> dict[str, tuple[bytes, str]]:
    whole = encoded(noise(), "JPEG")
    return {
        "pixel bomb": (png_header_only(20_000, 20_000), "bomb.png"),
        "text named .jpg": ("这不是照片\n".encode() * 20, "photo.jpg"),
        "svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "a.svg"),
        "html polyglot": (b"GIF89a/*<html><script>alert(1)</script></html>*/=1;", "a.gif"),
        "truncated jpeg": (whole[: len(whole) // 2], "cut.jpg"),
        "oversize": (b"\0" * (MAX_UPLOAD_BYTES + 1), "huge.jpg"),
        "tiff": (encoded(Image.new("RGB", (20, 20)), "TIFF"), "scan.tif"),
    }


def _form_classes() -> list[type]:
    found = []
    for module in portal_modules("forms"):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_file_field_is_the_photo_field_or_a_declared_import():
    file_fields = [
        (form.__name__, name, field)
        for form in _form_classes()
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.FileField)
    ]
    assert any(isinstance(field, PhotoField) for _f, _n, field in file_fields)
    strays = [
        (form, name, type(field).__name__)
        for form, name, field in file_fields
        if not isinstance(field, PhotoField) and not getattr(field, "parses_its_file", False)
    ]
    assert not strays, strays


@pytest.mark.parametrize("username", [None, "district", "liuqiaoyu_clerk", "meiyuan_grid"])
def test_every_upload_field_refuses_the_corpus_next_to_the_field(demo_district, username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    starts = ["/"] if username is None else ["/home/", "/dashboard/"]
    found = crawl(client, starts, per_route=2)
    upload_forms = [form for form in found.forms.values() if form.files]
    if username == "district":
        assert upload_forms, "the crawl found no upload form"
    problems = []
    for form in upload_forms:
        for field, element_id in form.files.items():
            for label, (data, name) in _corpus().items():
                cache.clear()  # public forms limit submissions per address; this is not that test
                response = client.post(
                    form.action, {**form.fields, field: SimpleUploadedFile(name, data)}
                )
                text = response.content.decode("utf-8", "replace")
                refused_here = f'id="{element_id}_error"' in text or 'role="alert"' in text
                if response.status_code >= 500 or response.status_code in (301, 302, 303):
                    problems.append((form.action, field, label, response.status_code))
                elif not refused_here:
                    problems.append((form.action, field, label, "no message"))
    assert not problems, problems
