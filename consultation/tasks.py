"""Consultation's background work: the 12345 import reads a file the request kept in storage
(deleted once read) and returns its report, which the import page shows when the run ends."""

from dataclasses import asdict

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from consultation.services import hotline_import
from core.models import User

__all__ = ["hotline_report", "import_hotline_tickets"]


@task
def import_hotline_tickets(*, by_id: int, upload: str, filename: str, language: str) -> dict:
    by = User.objects.get(pk=by_id)
    with translation.override(language):
        try:
            with default_storage.open(upload) as file:
                report = hotline_import.import_tickets(by=by, upload=File(file, name=filename))
        except IntegrityError:
            message = _("Another import added some of these tickets just now; import again.")
            report = hotline_import.ImportReport(errors=[(0, message)])
        finally:
            default_storage.delete(upload)
    return asdict(report)


def hotline_report(value: dict) -> hotline_import.ImportReport:
    return hotline_import.ImportReport(**value)
