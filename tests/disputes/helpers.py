"""Building cases for tests through the same service the intake form uses."""

from datetime import date

from disputes.models import CaseCategory
from disputes.services import case_intake

PARTY = {
    "side": "applicant",
    "name": "张三",
    "phone": "13812345678",
    "id_number": "11010519491231002X",
    "address": "钢城区艾山街道梅苑小区3号楼",
}


def category(name: str = "邻里") -> CaseCategory:
    return CaseCategory.objects.get_or_create(name=name)[0]


def log_case(by, unit, *, source="grid", received_on=None, parties=None):
    return case_intake(
        by=by,
        unit=unit,
        source=source,
        category=category(),
        received_on=received_on or date.today(),
        description="楼上漏水",
        parties=parties if parties is not None else [PARTY],
    )
