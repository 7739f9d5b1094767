"""Photos are checked by content and re-encoded: EXIF and GPS never reach the disk, and anything
that is not a readable photo of sane size is refused with a code the form can show."""

import random
import struct
import zlib
from io import BytesIO

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps

from core.uploads import MAX_UPLOAD_BYTES, PhotoField, reencode_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def encoded(image: Image.Image, fmt: str, **params) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def noise(size=(320, 240)) -> Image.Image:
    rng = random.Random(7)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[GPS_IFD] = {
        1: "N",  # GPSLatitudeRef
        2: (36.0, 12.0, 30.5),  # GPSLatitude: 莱芜, roughly
        3: "E",  # GPSLongitudeRef
        4: (117.0, 40.0, 10.25),  # GPSLongitude
    }
    return encoded(noise(), "JPEG", exif=exif)


def png_header_only(width: int, height: int, *, with_end=True) -> bytes:
    """A PNG whose IHDR declares the given size, with no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    return body + chunk(b"IEND", b"") if with_end else body


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal_code(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(forms.ValidationError) as refused:
        reencode_image(upload(data, name))
    return refused.value.code


def reopened(result) -> Image.Image:
    result.seek(0)
    image = Image.open(BytesIO(result.read()))
    image.load()
    return image


# Accepted photos come back as fresh JPEGs


def test_the_sample_jpeg_really_carries_gps():
    image = Image.open(BytesIO(jpeg_with_gps()))
    assert image.getexif().get_ifd(GPS_IFD)[1] == "N"


def test_a_jpeg_comes_back_as_a_jpeg_without_exif_or_gps():
    result = reencode_image(upload(jpeg_with_gps()))
    image = reopened(result)
    assert image.format == "JPEG"
    assert image.size == (320, 240)
    assert "exif" not in image.info
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(GPS_IFD)
    result.seek(0)
    raw = result.read()
    assert b"Exif" not in raw and b"PhoneMaker" not in raw


def test_the_stored_name_is_random_and_ends_in_jpg():
    first = reencode_image(upload(jpeg_with_gps(), "张三家门口.jpg"))
    second = reencode_image(upload(jpeg_with_gps(), "张三家门口.jpg"))
    assert first.name.endswith(".jpg") and second.name.endswith(".jpg")
    assert first.name != second.name
    assert "张三" not in first.name


def test_a_png_is_accepted_and_comes_back_as_jpeg():
    rgba = Image.new("RGBA", (64, 48), (200, 30, 30, 128))
    result = reencode_image(upload(encoded(rgba, "PNG"), "scan.png", "image/png"))
    image = reopened(result)
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (64, 48)


def test_a_webp_is_accepted_and_comes_back_as_jpeg():
    result = reencode_image(upload(encoded(noise((40, 30)), "WEBP"), "a.webp", "image/webp"))
    assert reopened(result).format == "JPEG"


def test_a_large_photo_is_scaled_down_to_2400_on_its_longest_side():
    big = Image.new("RGB", (3000, 1000), "white")
    image = reopened(reencode_image(upload(encoded(big, "PNG"), "wide.png")))
    assert image.size == (2400, 800)


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # taken with the phone turned: display rotated 90°
    sideways = encoded(Image.new("RGB", (200, 100), "blue"), "JPEG", exif=exif)
    expected = ImageOps.exif_transpose(Image.open(BytesIO(sideways))).size
    image = reopened(reencode_image(upload(sideways)))
    assert image.size == expected == (100, 200)
    assert ORIENTATION not in image.getexif()


def test_html_appended_to_a_real_jpeg_does_not_survive_reencoding():
    data = encoded(noise((50, 50)), "JPEG") + b"<html><script>alert(1)</script></html>"
    result = reencode_image(upload(data))
    result.seek(0)
    assert b"<script>" not in result.read()


# Refused uploads


def test_a_pixel_bomb_is_refused_before_it_is_decoded():
    assert refusal_code(png_header_only(20_000, 20_000), "bomb.png") == "pixels"


def test_a_small_file_of_a_hundred_million_pixels_is_refused():
    data = encoded(Image.new("1", (10_000, 10_000)), "PNG")
    assert len(data) < 100_000
    assert refusal_code(data, "bomb.png") == "pixels"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_photo_just_over_the_pixel_limit_is_refused():
    # 49 megapixels: under Pillow's own hard limit (twice ours), so our own check must refuse it.
    assert refusal_code(png_header_only(7_000, 7_000), "big.png") == "pixels"


def test_a_text_file_named_jpg_is_refused():
    assert refusal_code("这不是照片\n".encode() * 20, "photo.jpg") == "invalid"


@pytest.mark.parametrize(
    "data, name",
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(document.cookie)</script></svg>",
            "photo.svg",
        ),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><foreignObject>'
            b"<html><body><script>alert(1)</script></body></html></foreignObject></svg>",
            "photo.jpg",
        ),
        (b"GIF89a/*<html><script>alert(1)</script></html>*/=1;", "photo.gif"),
        (b"<!DOCTYPE html><html><img src=x onerror=alert(1)></html>", "photo.png"),
    ],
    ids=["svg", "svg-html-named-jpg", "gif-html-polyglot", "html-named-png"],
)
def test_svg_and_html_polyglots_are_refused(data, name):
    assert refusal_code(data, name) == "invalid"


def test_a_truncated_jpeg_is_refused():
    whole = encoded(noise(), "JPEG")
    assert refusal_code(whole[: len(whole) // 2]) == "invalid"


def test_an_empty_file_is_refused():
    assert refusal_code(b"") == "invalid"


def test_a_format_outside_the_list_is_refused():
    assert refusal_code(encoded(Image.new("RGB", (20, 20)), "TIFF"), "scan.tif") == "format"


def test_a_file_over_8_mb_is_refused_without_reading_it():
    assert refusal_code(b"\0" * (MAX_UPLOAD_BYTES + 1)) == "too_large"
    assert MAX_UPLOAD_BYTES == 8 * 1024 * 1024


def test_a_file_of_exactly_8_mb_is_judged_by_its_content_not_its_size():
    assert refusal_code(b"\0" * MAX_UPLOAD_BYTES) == "invalid"


def test_a_png_header_without_pixel_data_is_refused():
    assert refusal_code(png_header_only(10, 10), "empty.png") == "invalid"


# PhotoField: the form field wrapping reencode_image


def test_the_photo_field_is_optional_and_cleans_nothing_to_nothing():
    field = PhotoField()
    assert field.required is False
    assert not field.clean(None)


def test_the_photo_field_cleans_to_the_reencoded_jpeg():
    cleaned = PhotoField().clean(upload(jpeg_with_gps(), "IMG_0001.JPG"))
    assert cleaned.name.endswith(".jpg") and cleaned.name != "IMG_0001.JPG"
    image = reopened(cleaned)
    assert image.format == "JPEG" and not image.getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"not a photo" * 10, "a.jpg", "invalid"),
        (png_header_only(20_000, 20_000), "bomb.png", "pixels"),
        (b"\0" * (MAX_UPLOAD_BYTES + 1), "huge.jpg", "too_large"),
    ],
    ids=["invalid", "pixels", "too_large"],
)
def test_the_photo_field_refuses_with_the_same_codes(data, name, code):
    with pytest.raises(forms.ValidationError) as refused:
        PhotoField().clean(upload(data, name))
    assert refused.value.code == code


def test_a_form_shows_the_refusal_next_to_the_photo_field():
    class Form(forms.Form):
        photo = PhotoField()

    form = Form(data={}, files={"photo": upload(b"plain text", "a.jpg")})
    assert not form.is_valid()
    assert form.errors.as_data()["photo"][0].code == "invalid"
