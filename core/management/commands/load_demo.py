from django.core.management.base import BaseCommand
from django.db import connection

from core.demo import loaders
from core.demo.district import DEMO_ACCOUNTS, DEMO_PASSWORD, load_accounts, load_district
from core.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Load the demo district (钢城区) and its demo accounts. Loading twice adds nothing."

    def handle(self, *args, **options):
        before = AdministrativeUnit.objects.count()
        load_district()
        load_accounts()
        for loader in loaders():
            if said := loader.load():
                self.stdout.write(said)
        added = AdministrativeUnit.objects.count() - before
        # The planner's statistics of what was just written: where autovacuum is off (as on the
        # project's machines), it would otherwise plan every page for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Demo district loaded ({added} new units).")
        self.stdout.write("")
        self.stdout.write("| 用户名 | 密码 | 角色 | 单位 |")
        self.stdout.write("|---|---|---|---|")
        for account in DEMO_ACCOUNTS:
            row = (account.username, DEMO_PASSWORD, account.role_label, account.unit_name)
            self.stdout.write("| " + " | ".join(row) + " |")
        self.stdout.write(f"| admin | {DEMO_PASSWORD} | 系统管理员（Django admin） | 钢城区 |")
