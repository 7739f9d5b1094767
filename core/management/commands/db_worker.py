from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from core import periodic


class Command(DatabaseWorker):
    help = (
        "Run a background worker on the task queue in PostgreSQL (django-tasks-db's worker). "
        "As it starts, every periodic task is made due, among them the sweep that takes over "
        "jobs whose worker died. Run as many as the queue needs, on any machine that reaches "
        "the database."
    )

    def handle(self, *args, **options):
        periodic.book_all()
        super().handle(*args, **options)
