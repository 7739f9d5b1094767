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
from governance.models.decisions import (  # noqa: E402
    Decision,
    DecisionStatus,
    DecisionStep,
    StepKind,
)
from governance.models.disclosure import (  # noqa: E402 -- issue 5: village-affairs disclosure
    Cadence,
    Channel,
    DisclosureCategory,
    DisclosureDue,
    DisclosureItem,
    DisclosurePost,
    FundLine,
    PostChannel,
    PostPhoto,
    PostReview,
    PostStatus,
)
from governance.models.supervision import (  # noqa: E402
    Finding,
    FindingState,
    MemberKind,
    SupervisionMember,
)
from governance.models.surveys import Rating, Survey, SurveyAnswer, SurveyCode  # noqa: E402

__all__ += [
    "Cadence",
    "Channel",
    "Decision",
    "DecisionStatus",
    "DecisionStep",
    "DisclosureCategory",
    "DisclosureDue",
    "DisclosureItem",
    "DisclosurePost",
    "Finding",
    "FindingState",
    "FundLine",
    "MemberKind",
    "PostChannel",
    "PostPhoto",
    "PostReview",
    "PostStatus",
    "Rating",
    "StepKind",
    "Survey",
    "SurveyAnswer",
    "SurveyCode",
    "SupervisionMember",
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
