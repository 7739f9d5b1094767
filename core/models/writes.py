"""New rows of several models written in one statement (a data-modifying WITH): one round trip
where saving each would take one apiece."""

from django.db import connection
from django.db.models.sql import InsertQuery

__all__ = ["insert_sql"]


def insert_sql(objs: list) -> tuple[str, tuple]:
    """The INSERT that saving `objs` (new rows of one model) would run, with its parameters,
    as an item of a WITH. A value may be an expression reading an earlier item, such as
    `RawSQL("(SELECT id FROM new_case)", [])`. No save() runs: the model's own save logic
    (tallies) and signals are the caller's to do."""
    model = type(objs[0])
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    [(sql, params)] = query.get_compiler(connection=connection).as_sql()
    return sql, params
