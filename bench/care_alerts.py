"""Bracelet alerts under load: a signed stream at --rate alerts a minute for --seconds against
gunicorn, while a community worker's alert list is polled as a phone polls it. Reports every
alert stored once (none lost, none doubled, a share sent twice on purpose), and the time from the
webhook call to the alert showing in the list (p50, p95).

Nobody takes the alerts, so each climbs (grid → community → street) after --ack-minutes, by the
task worker. With --kill, one gunicorn worker and the task worker are SIGKILLed mid-stream: the
sender retries what was not answered, with the same id, as the platform does, and the task worker
is started again as `manage.py demo`'s supervisor starts it; after the stream the bench waits for
every alert's climbs and reports any still missing a minute past due (the periodic sweep's
slack), and how late the climbs came.

    .venv/bin/python bench/care_alerts.py --rate 1000 --seconds 300 --kill
"""

import argparse
import contextlib
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
    parser.add_argument(
        "--kill", action="store_true", help="SIGKILL a gunicorn worker and the task worker"
    )
    parser.add_argument("--task-workers", type=int, default=1, help="task worker processes")
    parser.add_argument(
        "--ack-minutes", type=int, default=1, help="minutes before an untaken alert climbs"
    )
    parser.add_argument("--database", default="bench_care_alerts")
    args = parser.parse_args()

    setup(args.database)
    from care.models import Alert, CareSettings

    serials = bracelets(args.devices)
    Alert.objects.filter(platform=PLATFORM).delete()
    CareSettings.objects.update_or_create(
        pk=CareSettings.current().pk, defaults={"ack_minutes": args.ack_minutes}
    )
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
    pool = [
        Supervised([PYTHON, "manage.py", "db_worker", "--no-reload"], cwd=ROOT, env=env)
        for _n in range(args.task_workers)
    ]
    tasks = pool[0]  # the one --kill kills
    try:
        wait_for(f"{base}/")
        report = run(args, base, serials, server, tasks)
    finally:
        for worker in pool:
            worker.stop()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(report)


class Supervised:
    """A task worker kept running as `manage.py demo`'s supervisor keeps it (core/management/
    commands/demo.py, serve()): polled each second, started again when it died."""

    def __init__(self, argv, **popen):
        self.argv, self.popen = argv, popen
        self.restarts: list[float] = []
        self.process = self._start()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _start(self):
        return subprocess.Popen(
            self.argv, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, **self.popen,
        )  # fmt: skip

    def _watch(self) -> None:
        while not self.done.wait(1):
            if self.process.poll() is not None:
                self.process = self._start()
                self.restarts.append(time.monotonic())

    def kill(self) -> int:
        pid = self.process.pid
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def run(args, base, serials, server, tasks) -> str:
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
        task_pid = tasks.kill()
        killed_at = time.monotonic()
        killed = (
            f"gunicorn worker {victim} and task worker {task_pid} SIGKILLed at "
            f"{args.seconds / 2:.0f} s"
        )
    for thread in threads:
        thread.join()
    time.sleep(2)
    stop.set()
    watch.join()
    if args.kill:
        back = [t - killed_at for t in tasks.restarts if t >= killed_at]
        killed += f"; task worker started again after {back[0]:.1f} s\n" if back else "\n"
    climbs = wait_for_climbs(args) if args.kill else ""
    stored = Alert.objects.filter(platform=PLATFORM)
    latencies = sorted(seen[pk] - began for pk, began in sent.items() if pk in seen)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return (
        f"{killed}alerts: {total} sent at {args.rate:.0f}/min for {args.seconds:.0f} s "
        f"({args.senders} connections, {args.workers} gunicorn workers, {args.task_workers} "
        f"task workers); answers {answers}\n"
        f"stored: {stored.count()}, distinct ids stored {stored.values('external_id').distinct().count()}, "
        f"missing {len(ids - set(stored.values_list('external_id', flat=True)))}\n"
        f"webhook → list (polled every {POLL_SECONDS} s): seen {len(latencies)} of {len(sent)}, "
        f"p50 {statistics.median(latencies):.3f} s, p95 {p95:.3f} s\n{climbs}".rstrip()
    )


def wait_for_climbs(args, grace: float = 60) -> str:
    """Wait until every alert has climbed to the street (or it is `grace` seconds past the last
    one's due moment), then report the climbs: how many, any more than `grace` seconds past due
    and still missing, and how late they came."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from care.models import Alert, AlertStep

    def missing(now):
        waiting = Alert.objects.filter(
            platform=PLATFORM, acknowledged_at__isnull=True, level__lt=2
        ).only("received_at", "window_minutes", "level")
        return sum(
            a.received_at + timedelta(minutes=a.window_minutes * (a.level + 1))
            <= now - timedelta(seconds=grace)
            for a in waiting
        )

    # Every alert climbs twice (to the community, then the street) unless someone takes it:
    # wait for the last one's second climb and the sweep's slack, then count what is missing.
    deadline = time.monotonic() + 120 * args.ack_minutes + grace + 30
    below = Alert.objects.filter(platform=PLATFORM, acknowledged_at__isnull=True, level__lt=2)
    while below.exists() and time.monotonic() < deadline:
        time.sleep(5)
    left = missing(timezone.now())
    steps = AlertStep.objects.filter(alert__platform=PLATFORM, step="escalated").annotate(
        received=F("alert__received_at"), window=F("alert__window_minutes")
    )
    late = []
    for step in steps.only("at", "level"):
        due = step.received + timedelta(minutes=step.window * step.level)
        late.append((step.at - due).total_seconds())
    late.sort()
    if not late:
        return f"climbs: none made; missing more than {grace:.0f} s past due: {left}"
    return (
        f"climbs after {args.ack_minutes} min untaken: {len(late)} made, missing more than "
        f"{grace:.0f} s past due: {left}; lateness p50 {statistics.median(late):.1f} s, "
        f"p95 {late[int(0.95 * (len(late) - 1))]:.1f} s, max {late[-1]:.1f} s"
    )


if __name__ == "__main__":
    main()
