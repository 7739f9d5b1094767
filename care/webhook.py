"""The bracelet platform's webhook: who sent it (HMAC-SHA256 over "<timestamp>.<body>" with the
platform's secret), how fresh it is (five minutes either way), what it says. Every refusal has
its own status and a log line; nothing here answers 500, and an alert id is taken once.

  X-Platform   the platform's name (a key of settings.CARE_ALERT_SECRETS)
  X-Timestamp  Unix seconds when the platform signed the request
  X-Signature  hex HMAC-SHA256, optionally prefixed "sha256="
  body         {"alert_id": "...", "device": "<serial>", "type": "sos|fall|...",
                "time": "<ISO 8601>", ...anything else is kept as the alert's detail}
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from care.models import AlertKind, Device

__all__ = ["MAX_BODY_BYTES", "STALE_SECONDS", "Refused", "platform_secrets", "read", "sign"]

STALE_SECONDS = 300
MAX_BODY_BYTES = 16 * 1024

log = logging.getLogger("portal.care.webhook")


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def platform_secrets() -> dict[str, bytes]:
    pairs = (item.split(":", 1) for item in settings.CARE_ALERT_SECRETS.split(",") if ":" in item)
    return {name.strip(): secret.strip().encode() for name, secret in pairs if secret.strip()}


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    return hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _verify(headers, body: bytes) -> str:
    platform = headers.get("X-Platform", "")
    secret = platform_secrets().get(platform)
    if secret is None:
        raise Refused(401, "unknown platform")
    stamp = headers.get("X-Timestamp", "")
    given = headers.get("X-Signature", "").removeprefix("sha256=")
    if not stamp.isdigit() or not given:
        raise Refused(401, "missing timestamp or signature")
    if not hmac.compare_digest(sign(secret, stamp, body), given.lower()):
        raise Refused(401, "bad signature")
    if abs(time.time() - int(stamp)) > STALE_SECONDS:
        raise Refused(401, "stale timestamp")
    return platform


def _parse(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Refused(400, "body is not JSON") from error
    if not isinstance(data, dict):
        raise Refused(400, "body is not a JSON object")
    alert_id, serial, kind, when = (data.get(k) for k in ("alert_id", "device", "type", "time"))
    if not isinstance(alert_id, str) or not 0 < len(alert_id) <= 64:
        raise Refused(400, "alert_id missing or too long")
    if not isinstance(serial, str) or not 0 < len(serial) <= 64:
        raise Refused(400, "device missing")
    if kind not in AlertKind.values:
        raise Refused(400, "unknown alert type")
    try:
        happened_at = datetime.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        happened_at = None
    if happened_at is None:
        raise Refused(400, "time missing or not ISO 8601")
    if timezone.is_naive(happened_at):
        happened_at = timezone.make_aware(happened_at)
    detail = {k: v for k, v in data.items() if k not in {"alert_id", "device", "type", "time"}}
    return {"external_id": alert_id, "serial": serial, "kind": kind, "happened_at": happened_at,
            "detail": detail}  # fmt: skip


def read(headers, body: bytes) -> dict:
    """The alert the request carries, with its platform and device; Refused otherwise."""
    if len(body) > MAX_BODY_BYTES:
        raise Refused(413, "body too large")
    platform = _verify(headers, body)
    alert = _parse(body)
    device = Device.objects.filter(serial=alert.pop("serial")).first()
    if device is None:
        raise Refused(422, "unknown device")
    return {**alert, "platform": platform, "device": device}
