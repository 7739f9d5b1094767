"""A report's figures as submitted, or an alert's detail, are read on their record's own page: the
timeline says only that they changed, never a dump of the data."""

from django.utils import translation

from care.models import Alert
from core import timeline


def test_structured_data_is_named_in_the_timeline_only_by_the_fact_that_it_changed():
    field = Alert._meta.get_field("detail")
    event = type("Event", (), {"pgh_label": "update", "pgh_diff": {"detail": [{"a": 1}, {"a": 2}]}})
    with translation.override("zh-hans"):
        [change] = timeline._changes(event, Alert, {"detail": field}, {}, {})
        assert timeline._data_note(None, {"a": 1}) == "已记录"
    assert "'a'" not in f"{change.old}{change.new}{change.note}" and change.note == "已更新"
