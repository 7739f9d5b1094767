from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.backup import backup


class Command(BaseCommand):
    help = "Dump the portal's database (pg_dump, custom format) into var/backups or --to FILE."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="Where to write the dump.")

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = (
            options["to"] or Path(settings.BASE_DIR) / "var" / "backups" / f"portal-{stamp}.dump"
        )
        backup(settings.DATABASES["default"], target)
        self.stdout.write(f"Backup written to {target}")
