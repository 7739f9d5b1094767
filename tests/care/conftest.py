"""Care's small world on the shared district: 梅苑社区第一网格's older person living alone with a
bracelet, and a left-behind child at 柳桥峪村 (another street)."""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from care.models import CareKind, CarePerson, Device, RiskLevel
from care.services.people import person_register

SECRET = "test-bracelet-secret"
PLATFORM = "test-bracelet"


@pytest.fixture(autouse=True)
def care_seed(db):
    """The kinds, plan and minutes migration 0002 seeds: a test run in a transaction empties the
    tables for the tests after it, so each care test starts from the seed again."""
    seed = import_module("care.migrations.0002_seed_kinds_and_plan").seed
    seed(django_apps, None)


def id_number(n: int, born: date = date(1942, 3, 1)) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    body = f"370117{born + timedelta(days=n):%Y%m%d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@dataclass
class Care:
    elder: CarePerson
    child: CarePerson
    bracelet: Device


def kind(code: str) -> CareKind:
    names = {"living_alone": "独居", "left_behind": "留守儿童"}
    return CareKind.objects.get_or_create(code=code, defaults={"name": names[code]})[0]


@pytest.fixture
def care(district, people, settings) -> Care:
    settings.CARE_ALERT_SECRETS = f"{PLATFORM}:{SECRET}"
    registered = timezone.localdate() - timedelta(days=3)
    elder = person_register(
        by=people.grid_worker,
        unit=district.meiyuan_grid,
        kind=kind("living_alone"),
        name="王桂兰",
        id_number=id_number(1),
        phone="13912345678",
        guardian_name="王建国",
        guardian_relation="儿子",
        guardian_phone="13800001111",
        risk_level=RiskLevel.HIGH,
        registered_on=registered,
        consent=True,
    )
    child = CarePerson(
        unit=district.liuqiaoyu_grid,
        kind=kind("left_behind"),
        name="李小明",
        id_number=id_number(2, date(2016, 5, 1)),
        guardian_name="李奶奶",
        guardian_phone="13700002222",
        consent=True,
        registered_on=registered,
    )
    child.plan_next_visit(None)
    child.save()
    bracelet = Device.objects.create(serial="GC-0001", person=elder, unit=elder.unit)
    return Care(elder=elder, child=child, bracelet=bracelet)


def signed(
    body: dict | bytes, *, secret: str = SECRET, stamp: int | None = None, platform=PLATFORM
):
    """Headers and body as the platform sends them."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    headers = {
        "HTTP_X_PLATFORM": platform,
        "HTTP_X_TIMESTAMP": stamp,
        "HTTP_X_SIGNATURE": f"sha256={signature}",
    }
    return raw, headers


def alert_body(alert_id: str = "A-1", kind: str = "fall", device: str = "GC-0001") -> dict:
    return {
        "alert_id": alert_id,
        "device": device,
        "type": kind,
        "time": timezone.now().isoformat(),
        "heart_rate": 88,
    }
