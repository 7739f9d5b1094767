"""Photos and scans of a post: re-encoded (GPS gone), with a thumbnail; a pixel bomb, a file
that only pretends to be a JPEG, or a published post: a message, nothing stored, never a 500."""

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from disclosure.models import PostPhoto
from tests.core.test_uploads import GPS_IFD, jpeg_with_gps, png_header_only, upload
from tests.disclosure.helpers import draft_post, published_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def add_photo(client, post, data: bytes, name="photo.jpg"):
    return client.post(
        reverse("governance:post_photo_add", args=[post.pk]),
        {"photo": upload(data, name), "caption": "公示栏照片"},
    )


def test_a_jpeg_with_gps_comes_back_without_it_and_with_a_thumbnail(district, people, client_for):
    assert Image.open(BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)
    post = draft_post(district.liuqiaoyu, people.village_clerk)
    clerk = client_for(people.village_clerk)
    assert add_photo(clerk, post, jpeg_with_gps()).status_code == 302
    photo = PostPhoto.objects.get()
    for url in [
        reverse("governance:post_photo", args=[photo.pk]),
        reverse("governance:post_photo_size", args=[photo.pk, "thumb"]),
    ]:
        served = clerk.get(url)
        image = Image.open(BytesIO(b"".join(served.streaming_content)))
        assert image.format == "JPEG"
        assert not image.getexif().get_ifd(GPS_IFD)
    assert Image.open(photo.thumbnail.path).size[0] <= 480


@pytest.mark.parametrize(
    "data, name",
    [
        (png_header_only(50_000, 50_000), "bomb.png"),
        (b"%PDF-1.4 this is not a photo", "scan.jpg"),
    ],
)
def test_a_pixel_bomb_or_a_false_extension_is_refused(district, people, client_for, data, name):
    post = draft_post(district.liuqiaoyu, people.village_clerk)
    response = add_photo(client_for(people.village_clerk), post, data, name)
    assert response.status_code == 200
    assert response.context["photo_form"].errors["photo"]
    assert PostPhoto.objects.count() == 0


def test_a_published_post_takes_no_more_photos(district, people, client_for):
    post = published_post(district.liuqiaoyu, people.village_clerk, people.supervisor)
    response = add_photo(client_for(people.village_clerk), post, jpeg_with_gps())
    assert response.status_code == 400 and PostPhoto.objects.count() == 0


def test_photos_of_drafts_are_not_public_and_published_ones_are(
    district, people, client_for, client
):
    post = draft_post(district.liuqiaoyu, people.village_clerk)
    add_photo(client_for(people.village_clerk), post, jpeg_with_gps())
    photo = PostPhoto.objects.get()
    assert client.get(reverse("public:photo", args=[photo.pk, "thumb"])).status_code == 404
    from disclosure.services.disclosure import post_review, post_submit

    post = post_submit(post=post, by=people.village_clerk)
    post_review(post=post, by=people.supervisor, decision="approved")
    assert client.get(reverse("public:photo", args=[photo.pk, "thumb"])).status_code == 200
