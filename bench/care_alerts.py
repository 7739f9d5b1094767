"""Bracelet alerts under load: a signed stream at --rate alerts a minute for --seconds against
gunicorn, while a community worker's alert list is polled as a phone polls it. Reports every
alert stored once (none lost, none doubled, a share sent twice on purpose), and the time from the
webhook call to the alert showing in the list (p50, p95). With --kill, one gunicorn worker and
the task worker are SIGKILLed mid-stream: the sender retries what was not answered, with the same
id, as the platform does.

    .venv/bin/python bench/care_alerts.py --rate 1000 --seconds 300 --kill
"""

import argparse
import os
import queue
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _setup import database_url, setup  # noqa: E402


def _platform_script():
    """scripts/care_alerts.py, whose signing and retrying sender this bench drives."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "care_alert_stream", ROOT / "scripts" / "care_alerts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_stream = _platform_script()
alert, send = _stream.alert, _stream.send

PYTHON = sys.executable
PLATFORM, SECRET = "bench-bracelet", "bench-bracelet-secret"  # noqa: S105 -- a bench's own secret
URGENT = ["sos", "fall", "fall", "no_movement", "heart_rate", "left_area"]
POLL_SECONDS = 0.25
SEEN = re.compile(r"/care/alerts/(\d+)/")


def bracelets(count: int) -> list[str]:
    """`count` people living alone at 梅苑社区's grids, each with a bracelet (made once)."""
    from datetime import date, timedelta

    from care.models import CareKind, Device
    from care.services.people import person_register
    from core.models import AdministrativeUnit, User

    have = list(Device.objects.filter(serial__startswith="BENCH-").values_list("serial", flat=True))
    if len(have) >= count:
        return have[:count]
    by = User.objects.get(username="meiyuan")
    grids = list(AdministrativeUnit.objects.filter(parent__code="370117003010", level="grid"))
    kind = CareKind.objects.get(code="living_alone")
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for n in range(len(have), count):
        body = f"370117{date(1930, 1, 1) + timedelta(days=n):%Y%m%d}{n % 1000:03d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
        grid = grids[n % len(grids)]
        person = person_register(
            by=by, unit=grid, kind=kind, name=f"测试{n}", id_number=body + check,
            guardian_name="家属", guardian_phone="13800000000", consent=True,
        )  # fmt: skip
        Device.objects.create(serial=f"BENCH-{n:05d}", person=person, unit=grid)
    return list(Device.objects.filter(serial__startswith="BENCH-").values_list("serial", flat=True))


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 -- our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def logged_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    session.post(
        f"{base}/accounts/login/",
        data={
            "username": "meiyuan",
            "password": "Gangcheng-2026",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
    )
    return session


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=1000, help="alerts a minute")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--senders", type=int, default=6, help="platform connections at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=18571)
    parser.add_argument("--devices", type=int, default=300)
    parser.add_argument("--replay-share", type=float, default=0.02)
    parser.add_argument("--kill", action="store_true", help="SIGKILL a worker mid-stream")
    parser.add_argument("--database", default="bench_care_alerts")
    args = parser.parse_args()

    setup(args.database)
    from care.models import Alert

    serials = bracelets(args.devices)
    Alert.objects.filter(platform=PLATFORM).delete()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(args.database),
        "CARE_ALERT_SECRETS": f"{PLATFORM}:{SECRET}",
    }
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    task_worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"{base}/")
        report = run(args, base, serials, server, env)
    finally:
        for process in (server, task_worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    print(report)


def run(args, base, serials, server, env) -> str:
    from care.models import Alert

    rng = random.Random(7)
    total = int(args.rate * args.seconds / 60)
    interval = 60 / args.rate
    jobs: queue.Queue = queue.Queue()
    sent: dict[int, float] = {}  # alert's pk -> when its webhook call began
    answers: dict[str, int] = {}
    ids: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    seen: dict[int, float] = {}

    def sender() -> None:
        session = requests.Session()
        while (job := jobs.get()) is not None:
            due, body = job
            time.sleep(max(0.0, due - time.monotonic()))
            repeats = 2 if rng.random() < args.replay_share else 1
            for _ in range(repeats):
                began = time.monotonic()
                response, _seconds = send(
                    session, f"{base}/care/alerts/webhook/", PLATFORM, SECRET, body, tries=20
                )
                status = str(response.status_code) if response is not None else "lost"
                with lock:
                    answers[status] = answers.get(status, 0) + 1
                    if response is not None and response.status_code == 201:
                        sent[response.json()["id"]] = began

    def observer() -> None:
        phone = logged_in(base)
        while not stop.is_set():
            try:
                page = phone.get(f"{base}/care/alerts/", headers={"HX-Request": "true"}, timeout=5)
                now = time.monotonic()
                for pk in SEEN.findall(page.text):
                    seen.setdefault(int(pk), now)
            except requests.RequestException:
                pass
            time.sleep(POLL_SECONDS)

    watch = threading.Thread(target=observer, daemon=True)
    watch.start()
    start = time.monotonic() + 1
    for n in range(total):
        body = alert(rng.choice(serials), rng.choice(URGENT), rng)
        ids.add(body["alert_id"])
        jobs.put((start + n * interval, body))
    threads = [threading.Thread(target=sender) for _ in range(args.senders)]
    for thread in threads:
        jobs.put(None)
        thread.start()
    killed = ""
    if args.kill:
        time.sleep(1 + args.seconds / 2)
        victims = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
        victim = int(victims.stdout.split()[0])
        os.kill(victim, signal.SIGKILL)
        killed = f"gunicorn worker {victim} SIGKILLed at {args.seconds / 2:.0f} s\n"
    for thread in threads:
        thread.join()
    time.sleep(2)
    stop.set()
    watch.join()
    stored = Alert.objects.filter(platform=PLATFORM)
    latencies = sorted(seen[pk] - began for pk, began in sent.items() if pk in seen)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return (
        f"{killed}alerts: {total} sent at {args.rate:.0f}/min for {args.seconds:.0f} s "
        f"({args.senders} connections, {args.workers} gunicorn workers); answers {answers}\n"
        f"stored: {stored.count()}, distinct ids stored {stored.values('external_id').distinct().count()}, "
        f"missing {len(ids - set(stored.values_list('external_id', flat=True)))}\n"
        f"webhook → list (polled every {POLL_SECONDS} s): seen {len(latencies)} of {len(sent)}, "
        f"p50 {statistics.median(latencies):.3f} s, p95 {p95:.3f} s"
    )


if __name__ == "__main__":
    main()
