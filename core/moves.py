"""Migration operations for models that moved from governance/ into an app of their own.

The tables keep their names, so only Django's state moves (the models are deleted from governance's
state and created in the app's). pgtrigger names a trigger after its model's app label, so the
history triggers are dropped under the old label and installed again under the new one. Content
types are renamed, so permissions and history keep pointing at the same rows.
"""

from django.db import migrations
from pgtrigger.migrations import AddTrigger, RemoveTrigger

__all__ = ["DropTrigger", "state_only", "triggers", "without_triggers", "content_types_to"]


class DropTrigger(RemoveTrigger):
    """RemoveTrigger, and its function too: pgtrigger leaves the function behind."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)
        model_state = from_state.models[app_label, self.model_name_lower]
        (trigger,) = [t for t in model_state.options["triggers"] if t.name == self.name]
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger.sql.pgid}()")


def state_only(operations: list) -> migrations.SeparateDatabaseAndState:
    return migrations.SeparateDatabaseAndState(state_operations=operations)


def triggers(operations: list) -> list:
    return [op for op in operations if isinstance(op, AddTrigger)]


def without_triggers(operations: list) -> list:
    return [op for op in operations if not isinstance(op, AddTrigger)]


def content_types_to(app_label: str, models: list[str]) -> migrations.RunPython:
    def move(apps, schema_editor, source="governance", target=app_label):
        content_types = apps.get_model("contenttypes", "ContentType")
        content_types.objects.filter(app_label=source, model__in=models).update(app_label=target)

    def back(apps, schema_editor):
        move(apps, schema_editor, source=app_label, target="governance")

    return migrations.RunPython(move, back)
