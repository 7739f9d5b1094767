from django.core.management.base import BaseCommand

from disclosure.tasks import disclosure_dues


class Command(BaseCommand):
    help = (
        "Create the disclosure dues of every complete period up to today now. The task queue "
        "does this daily by itself (disclosure.tasks.disclosure_dues); this is for an operator."
    )

    def handle(self, *args, **options):
        made = disclosure_dues.call()
        self.stdout.write(f"{made} disclosure periods now due.")
