"""Tallies are added to far more often than they are inserted: drop the unit's own index (the
unique index starts with the unit) and leave room on each page, so an update can stay on its page
and skip the indexes (HOT). The fill factor applies to pages written from now on; existing pages
get their room as VACUUM FULL or a rebuild rewrites them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0013_export_job"),
    ]

    operations = [
        migrations.AlterField(
            model_name="subtreetally",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="governance.administrativeunit",
            ),
        ),
        migrations.AlterField(
            model_name="tally",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="governance.administrativeunit",
            ),
        ),
        migrations.RunSQL(
            "ALTER TABLE governance_tally SET (fillfactor = 70);"
            "ALTER TABLE governance_subtreetally SET (fillfactor = 70);",
            "ALTER TABLE governance_tally RESET (fillfactor);"
            "ALTER TABLE governance_subtreetally RESET (fillfactor);",
        ),
    ]
