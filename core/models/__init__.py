from core.models.accounts import Membership, User
from core.models.exports import ExportJob
from core.models.scope import may, require, units_for
from core.models.submissions import SubmissionKey
from core.models.tallies import Fact, SubtreeTally, Tallied, Tally
from core.models.units import AdministrativeUnit, UnitKind, UnitLevel
from core.models.versioning import StaleVersion, Versioned

__all__ = [
    "AdministrativeUnit",
    "ExportJob",
    "Fact",
    "Membership",
    "StaleVersion",
    "SubtreeTally",
    "SubmissionKey",
    "Tally",
    "Tallied",
    "UnitKind",
    "UnitLevel",
    "User",
    "Versioned",
    "may",
    "require",
    "units_for",
]
