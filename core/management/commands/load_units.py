from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.services.unit_import import unit_import


class Command(BaseCommand):
    help = (
        "Load units from a CSV of code, name, kind (or level), parent code — the columns of the "
        "official statistical-division list — as the unit import page does. All lines or none; "
        "units already there as the file describes them are left unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--by",
            help="username to record in the units' history (default: the system)",
        )

    def handle(self, *args, file: Path, by: str | None, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user named {by}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        with translation.override("zh-hans"):
            report = unit_import(by=user, data=data)
        for error in report.errors:
            self.stderr.write(f"{file.name}:{error.line}: {error.message}")
        if not report.ok:
            raise CommandError(f"Nothing was loaded: {len(report.errors)} bad lines.")
        self.stdout.write(
            f"{report.created} units created, {report.unchanged} already there and unchanged."
        )
