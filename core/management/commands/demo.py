import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare the database, load the demo district and serve the portal with gunicorn, "
        "with a task worker beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Prepare and load, then stop.")
        parser.add_argument(
            "--without-demo",
            action="store_true",
            help="Serve the portal's own units and records: load no demo district.",
        )

    def handle(self, *args, **options):
        call_command("ensure_database", stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        if not options["without_demo"]:
            call_command("load_demo", stdout=self.stdout)
        if options["no_serve"]:
            return
        bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
        self.stdout.write(f"\nServing the portal at http://{bind}/  (Ctrl-C stops it)")
        self.stdout.flush()
        worker = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"]
        web = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", bind, "--workers", "2"]
        web += ["--access-logfile", "-", "--graceful-timeout", "5"]
        serve(web, worker=worker)


def serve(web: list[str], *, worker: list[str]) -> None:
    """Run the web server and a task worker side by side until the web server stops or this
    process is told to stop (Ctrl-C, SIGTERM); then stop both. A worker that dies (killed, out
    of memory) is started again, and takes over what the dead one left."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children = {"web": subprocess.Popen(web), "worker": subprocess.Popen(worker)}  # noqa: S603
    try:
        while children["web"].poll() is None:
            if children["worker"].poll() is not None:
                children["worker"] = subprocess.Popen(worker)  # noqa: S603 -- our own argv
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
