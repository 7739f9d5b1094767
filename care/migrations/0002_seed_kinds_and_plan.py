"""The kinds of care the district starts with, a visit plan for each and the escalation minutes:
the district edits all of them afterwards."""

from django.db import migrations

KINDS = [
    ("living_alone", "独居", False, 10),
    ("empty_nest", "空巢", False, 20),
    ("very_old", "高龄", False, 30),
    ("disabled", "失能/半失能", False, 40),
    ("left_behind", "留守儿童", True, 50),
    ("in_difficulty", "困境儿童", True, 60),
]
# Days between visits by risk level.
INTERVALS = {"high": 7, "medium": 14, "low": 30}


def seed(apps, schema_editor):
    CareKind = apps.get_model("care", "CareKind")
    VisitPlanRule = apps.get_model("care", "VisitPlanRule")
    CareSettings = apps.get_model("care", "CareSettings")
    for code, name, for_children, order in KINDS:
        kind, _created = CareKind.objects.get_or_create(
            code=code, defaults={"name": name, "for_children": for_children, "order": order}
        )
        for level, days in INTERVALS.items():
            VisitPlanRule.objects.get_or_create(
                kind=kind, risk_level=level, defaults={"interval_days": days}
            )
    if not CareSettings.objects.exists():
        CareSettings.objects.create(ack_minutes=5)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_care_registry_visits_alerts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
