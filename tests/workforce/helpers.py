"""Building workforce records for tests through the services the forms use."""

from datetime import date

from workforce.models import TrainingProgramme, TrainingSession, WorkerPosition
from workforce.services import worker_save

PHONE, PHONE_MASKED = "13812345678", "138****5678"


def position(name: str = "专职网格员") -> WorkerPosition:
    grid = name.endswith("网格员")
    return WorkerPosition.objects.get_or_create(name=name, defaults={"is_grid": grid})[0]


def add_worker(by, unit, *, name="王网格", position_name="专职网格员", grids=(), **data):
    fields = {
        "unit": unit,
        "name": name,
        "position": position(position_name),
        "phone": PHONE,
        "qualifications": [],
        "status": "active",
        "joined_on": date(2020, 1, 1),
        "left_on": None,
        **data,
    }
    return worker_save(by=by, data=fields, grids=list(grids))


def add_session(by, unit, *, held_on=None, title="网格员履职能力提升培训（第一期）"):
    programme = TrainingProgramme.objects.create(
        unit=unit, name="网格员履职能力提升培训", organisers=["social_work"], created_by=by
    )
    return TrainingSession.objects.create(
        programme=programme,
        unit=unit,
        title=title,
        held_on=held_on or date.today(),
        place="区委党校",
        created_by=by,
    )
