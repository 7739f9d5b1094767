"""Photos and scans: size-capped, checked by content, re-encoded (which drops EXIF and GPS);
pixel bombs are refused before they are decoded."""

import uuid
from io import BytesIO

from django import forms
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

__all__ = [
    "ImportFileField",
    "PhotoField",
    "photo_response",
    "reencode_image",
    "MAX_UPLOAD_BYTES",
    "MAX_PIXELS",
]

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
LONGEST_SIDE = 2400

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def reencode_image(upload) -> ContentFile:
    """A JPEG made afresh from the upload's pixels, or ValidationError with a message for people."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The photo is larger than 8 MB."), code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise forms.ValidationError(_("The photo has too many pixels."), code="pixels")
            if probe.format not in ACCEPTED_FORMATS:
                raise forms.ValidationError(_("Upload a photo (JPEG, PNG or WebP)."), code="format")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGB")
            pixels.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            out = BytesIO()
            pixels.save(out, "JPEG", quality=85, optimize=True)
    except forms.ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise forms.ValidationError(_("The photo has too many pixels."), code="pixels") from error
    except Exception as error:  # noqa: BLE001 -- any decoder failure means "not a readable photo"
        raise forms.ValidationError(
            _("This file is not a photo the portal can read (JPEG, PNG or WebP)."), code="invalid"
        ) from error
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


class PhotoField(forms.FileField):
    """A file field whose cleaned value is the re-encoded photo."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault(
            "help_text", _("JPEG, PNG or WebP, at most 8 MB. Location data is removed.")
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial or not hasattr(upload, "size"):
            return upload
        return reencode_image(upload)


class ImportFileField(forms.FileField):
    """A spreadsheet or CSV that an import parses row by row, never stored or served: capped in
    size here; its content is judged by the parser, which reports bad rows in the form."""

    parses_its_file = True

    def __init__(self, *, max_bytes: int, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": self.max_bytes // (1024 * 1024)},
                code="too_large",
            )
        return upload


def photo_response(file, *, private: bool = True) -> FileResponse:
    """A stored photo (always re-encoded as JPEG) as a download; no photo is a 404. A private
    photo is never kept by a cache, a public one for a day."""
    if not file:
        raise Http404
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=86400"
    return response
