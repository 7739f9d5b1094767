import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the database, load the demo district and serve the portal with gunicorn."

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
        argv = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", bind, "--workers", "2"]
        argv += ["--access-logfile", "-", "--graceful-timeout", "5"]
        os.execv(sys.executable, argv)  # noqa: S606 -- replaces this process with gunicorn
