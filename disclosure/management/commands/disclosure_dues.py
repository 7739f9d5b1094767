from django.core.management.base import BaseCommand

from disclosure.models import DisclosureItem
from disclosure.services.disclosure import dues_ensure


class Command(BaseCommand):
    help = (
        "Create the disclosure dues of every complete period up to today (run daily, e.g. from "
        "cron, so the overdue figures move without anyone opening a page)."
    )

    def handle(self, *args, **options):
        made = dues_ensure(DisclosureItem.objects.all())
        self.stdout.write(f"{made} disclosure periods now due.")
