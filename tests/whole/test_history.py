"""Every model users edit keeps its history in PostgreSQL triggers: an edit, whether through
save() or a queryset's update(), appears in its history exactly once. Generic over every tracked
model, so models added later are held to it too."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, models, transaction

pytestmark = pytest.mark.django_db

SKIPPED_FIELDS = {"version", "path", "password", "number", "code", "username"}


def _tracked_models() -> list[tuple[type, type]]:
    pairs = []
    for event_model in apps.get_models():
        tracked = getattr(event_model, "pgh_tracked_model", None)
        if tracked is not None and Path(tracked._meta.app_config.path).parent == settings.BASE_DIR:
            pairs.append((tracked, event_model))
    return sorted(pairs, key=lambda pair: pair[0]._meta.label)


def _editable_text_field(model: type):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.unique
            and not field.choices
            and field.name not in SKIPPED_FIELDS
            and (not field.max_length or field.max_length >= 8)
        ):
            return field
    return None


def _updates_tracked(model: type) -> bool:
    return any(trigger.name.startswith("update") for trigger in model._meta.triggers)


def test_the_demo_covers_the_tracked_models(demo_district):
    covered = [m for m, _e in _tracked_models() if m._default_manager.exists()]
    assert len(covered) >= 10, covered


@pytest.mark.parametrize("how", ["save", "update"])
def test_every_edit_of_a_tracked_model_is_in_its_history_once(demo_district, how):
    checked, problems = [], []
    for model, event_model in _tracked_models():
        field = _editable_text_field(model)
        record = model._default_manager.order_by("pk").first()
        if field is None or record is None:
            continue
        before = event_model.objects.filter(pgh_obj_id=record.pk).count()
        value = (getattr(record, field.attname) or "")[: (field.max_length or 100) - 2] + "·改"
        refused = False
        try:
            with transaction.atomic():
                if how == "save":
                    setattr(record, field.attname, value)
                    record.save()
                else:
                    model._default_manager.filter(pk=record.pk).update(**{field.attname: value})
        except DatabaseError as error:
            # A record the database itself keeps frozen (a published disclosure) may refuse.
            if "pgtrigger" not in str(error):
                raise
            refused = True
        after = event_model.objects.filter(pgh_obj_id=record.pk).count()
        expected = 1 if _updates_tracked(model) and not refused else 0
        if after - before != expected:
            problems.append((model._meta.label, field.name, after - before))
        checked.append(model._meta.label)
    assert len(checked) >= 10, checked
    assert not problems, problems
