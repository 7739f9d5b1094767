from governance.models.accounts import Membership, User
from governance.models.disputes import (
    CaseCategory,
    CaseEvent,
    CaseNumberCounter,
    CaseParty,
    CaseSource,
    CaseStatus,
    DisputeCase,
    HandlingLevel,
)
from governance.models.hazards import Hazard, HazardCategory, Severity
from governance.models.mediation import (
    MediationAgreement,
    MediationSession,
    MediationStudio,
    ReturnVisit,
)
from governance.models.services import LegalService, ServicePoint
from governance.models.submissions import SubmissionKey
from governance.models.tallies import Fact, SubtreeTally, Tallied, Tally
from governance.models.units import AdministrativeUnit, UnitLevel
from governance.models.versioning import StaleVersion, Versioned

__all__ = [
    "CaseCategory",
    "CaseEvent",
    "CaseNumberCounter",
    "CaseParty",
    "CaseSource",
    "CaseStatus",
    "DisputeCase",
    "HandlingLevel",
    "Hazard",
    "HazardCategory",
    "LegalService",
    "MediationAgreement",
    "MediationSession",
    "MediationStudio",
    "ReturnVisit",
    "ServicePoint",
    "Severity",
    "AdministrativeUnit",
    "Fact",
    "Membership",
    "StaleVersion",
    "SubtreeTally",
    "SubmissionKey",
    "Tally",
    "Tallied",
    "UnitLevel",
    "User",
    "Versioned",
]
from governance.models.consultation import (  # noqa: E402
    AgendaItem,
    Demand,
    DemandSource,
    DemandStatus,
    LivelihoodProject,
    Meeting,
    MeetingKind,
    Platform,
    ProgressEntry,
    ProjectCategory,
    ProjectRating,
    ProjectStage,
    StageMove,
)

__all__ += [
    "AgendaItem",
    "Demand",
    "DemandSource",
    "DemandStatus",
    "LivelihoodProject",
    "Meeting",
    "MeetingKind",
    "Platform",
    "ProgressEntry",
    "ProjectCategory",
    "ProjectRating",
    "ProjectStage",
    "StageMove",
]
