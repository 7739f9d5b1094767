"""Thumbnails of photos that were already re-encoded by `core.uploads.reencode_image`."""

import uuid
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image

__all__ = ["THUMBNAIL_SIDE", "stored_thumbnail", "thumbnail_for"]

THUMBNAIL_SIDE = 480


def thumbnail_for(photo) -> ContentFile:
    """A small JPEG of a stored or uploaded (already re-encoded) photo."""
    photo.seek(0)
    with Image.open(photo) as image:
        image.load()
        small = image.convert("RGB")
        small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        out = BytesIO()
        small.save(out, "JPEG", quality=80, optimize=True)
    photo.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def stored_thumbnail(file):
    """The thumbnail of a stored photo (a FieldFile), made on first asking and kept beside the
    photo in the same storage, so every process finds it. A new photo has a new name, so its
    thumbnail is new too."""
    storage = file.storage
    name = f"thumbs/{file.name}"
    if not storage.exists(name):
        with file.open("rb") as photo:
            name = storage.save(name, thumbnail_for(photo))
    return storage.open(name, "rb")
