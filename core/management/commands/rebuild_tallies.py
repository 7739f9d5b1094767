from django.core.management.base import BaseCommand

from core.metrics.rebuild import rebuild_tallies


class Command(BaseCommand):
    help = "Recompute every tally from the records."

    def handle(self, *args, **options):
        rows = rebuild_tallies()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt tallies: {rows} rows."))
