from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a dump made by `backup`. Into a new database with --into NAME; over the portal's "
        "own database only with --replace (its connections are ended and its data replaced)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument("--into", help="Name of a new database to restore into.")
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        if not options["dump"].is_file():
            raise CommandError(f"no dump at {options['dump']}")
        into = options["into"] or db["NAME"]
        if into == db["NAME"] and not options["replace"]:
            raise CommandError("restoring over the portal's database needs --replace")
        try:
            restore(db, options["dump"], into, replace=options["replace"])
        except RuntimeError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"Restored {options['dump']} into database {into}")
