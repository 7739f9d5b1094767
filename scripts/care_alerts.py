"""Send a realistic, signed stream of 智慧养老手环 alerts to a running portal's webhook, as the
bracelet platform does: each alert signed with HMAC-SHA256 over "<timestamp>.<body>", retried
with the same id when the portal does not answer (so nothing is lost and nothing doubles), and
now and then sent twice on purpose as a platform's retry would.

    .venv/bin/python scripts/care_alerts.py --url http://127.0.0.1:8000 --fall
    .venv/bin/python scripts/care_alerts.py --url http://127.0.0.1:8000 --sos
    .venv/bin/python scripts/care_alerts.py --url http://127.0.0.1:8000 --rate 60 --seconds 120

Without --devices it reads the bracelets' numbers from the portal's database (DATABASE_URL).
The platform name and secret default to the demo's (settings.CARE_ALERT_SECRETS).
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent

# The mix a district's bracelets send in a day: mostly device notices, now and then an emergency.
MIX = [
    ("sos", 8),
    ("fall", 12),
    ("no_movement", 15),
    ("heart_rate", 12),
    ("left_area", 8),
    ("low_battery", 30),
    ("offline", 15),
]


def sign(secret: str, stamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def alert(device: str, kind: str, rng: random.Random) -> dict:
    body = {
        "alert_id": f"{kind[:3].upper()}-{uuid.uuid4().hex[:16]}",
        "device": device,
        "type": kind,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if kind == "heart_rate":
        body["heart_rate"] = rng.choice([38, 42, 135, 150])
    if kind == "low_battery":
        body["battery"] = rng.randrange(3, 15)
    if kind in {"sos", "fall", "left_area"}:
        body["location"] = {
            "lat": round(36.2 + rng.random() / 50, 5),
            "lng": round(117.8 + rng.random() / 50, 5),
        }
    return body


def send(session, url: str, platform: str, secret: str, body: dict, tries: int = 5):
    """Post until the portal answers with a status of its own; returns (status, seconds)."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    started = time.monotonic()
    for attempt in range(tries):
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Platform": platform,
            "X-Timestamp": stamp,
            "X-Signature": "sha256=" + sign(secret, stamp, raw),
        }
        try:
            response = session.post(url, data=raw, headers=headers, timeout=10)
        except requests.RequestException:
            response = None
        if response is not None and response.status_code < 500:
            return response, time.monotonic() - started
        time.sleep(0.2 * (attempt + 1))
    return None, time.monotonic() - started


def devices_from_database() -> list[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from care.models import Device

    return list(Device.objects.filter(person__isnull=False).values_list("serial", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the portal's address")
    parser.add_argument("--platform", default="demo-bracelet")
    parser.add_argument("--secret", default="demo-bracelet-secret")
    parser.add_argument("--devices", help="bracelet numbers, comma-separated")
    parser.add_argument("--fall", action="store_true", help="one fall, then stop")
    parser.add_argument("--sos", action="store_true", help="one SOS, then stop")
    parser.add_argument("--rate", type=float, default=30, help="alerts a minute")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--replay-share", type=float, default=0.05, help="share sent twice")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    devices = args.devices.split(",") if args.devices else devices_from_database()
    if not devices:
        sys.exit("No bracelet is bound to anyone: load the demo (make demo) or pass --devices.")
    url = args.url.rstrip("/") + "/care/alerts/webhook/"
    rng = random.Random(args.seed)
    session = requests.Session()
    if args.fall or args.sos:
        body = alert(devices[0], "fall" if args.fall else "sos", rng)
        response, _seconds = send(session, url, args.platform, args.secret, body)
        print(
            body["type"],
            body["device"],
            body["alert_id"],
            response.status_code if response else "no answer",
        )
        return
    kinds, weights = zip(*MIX, strict=True)
    interval = 60 / args.rate
    deadline = time.monotonic() + args.seconds
    sent, statuses = 0, {}
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        body = alert(rng.choice(devices), rng.choices(kinds, weights)[0], rng)
        times = 2 if rng.random() < args.replay_share else 1
        for _ in range(times):
            response, _seconds = send(session, url, args.platform, args.secret, body)
            status = response.status_code if response is not None else "no answer"
            statuses[status] = statuses.get(status, 0) + 1
        sent += 1
        print(f"{body['type']:<12} {body['device']} {body['alert_id']} {status}", flush=True)
        next_at += interval
        time.sleep(max(0, next_at - time.monotonic()))
    print(f"{sent} alerts sent; answers: {statuses}")


if __name__ == "__main__":
    main()
