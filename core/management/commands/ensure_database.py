from django.conf import settings
from django.core.management.base import BaseCommand

from portal.database import ensure_database


class Command(BaseCommand):
    help = "Create the configured database on its server if it is missing."

    def handle(self, *args, **options):
        if ensure_database(settings.DATABASES["default"]):
            self.stdout.write(f"Created database {settings.DATABASES['default']['NAME']}.")
