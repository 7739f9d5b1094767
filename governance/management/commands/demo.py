import os
import signal
import subprocess
import sys

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

    def handle(self, *args, **options):
        call_command("ensure_database", stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        if options["no_serve"]:
            return
        bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
        self.stdout.write(f"\nServing the portal at http://{bind}/  (Ctrl-C stops it)")
        self.stdout.flush()
        worker = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"]
        web = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", bind, "--workers", "2"]
        web += ["--access-logfile", "-", "--graceful-timeout", "5"]
        serve(worker, web)


def serve(*commands: list[str]) -> None:
    """Run the commands side by side until one of them stops or this process is told to stop
    (Ctrl-C, SIGTERM); then stop the others."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603 -- our own argv
    try:
        os.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
