"""Running the task queue inside a test."""

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_queued_tasks() -> None:
    """Run every due task with django-tasks-db's own worker loop, in this process and inside the
    test's transaction, until none is left. The loop's connection recycling is left out: it
    would close the connection that holds the test's transaction."""
    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
