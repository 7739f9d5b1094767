from io import BytesIO

import pytest
from django.core.cache import cache
from PIL import Image

from interfaces.models import ApiKey


@pytest.fixture(autouse=True)
def fresh_rate_counts(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meiyuan_key(district, people):
    """The key 梅苑社区's mini-program files with, and its secret."""
    return ApiKey.issue(
        name="数智智慧居民", unit=district.meiyuan, per_minute=30, by=people.district_staff
    )


def jpeg(size=(40, 30)) -> BytesIO:
    out = BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, "JPEG")
    out.seek(0)
    out.name = "photo.jpg"
    return out
