from governance.models.accounts import Membership, User
from governance.models.submissions import SubmissionKey
from governance.models.tallies import Fact, Tallied, Tally
from governance.models.units import AdministrativeUnit, UnitLevel
from governance.models.versioning import StaleVersion, Versioned

__all__ = [
    "AdministrativeUnit",
    "Fact",
    "Membership",
    "StaleVersion",
    "SubmissionKey",
    "Tally",
    "Tallied",
    "UnitLevel",
    "User",
    "Versioned",
]
