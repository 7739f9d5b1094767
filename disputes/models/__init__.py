from disputes.models.disputes import (
    CaseCategory,
    CaseEvent,
    CaseNumberCounter,
    CaseParty,
    CaseSource,
    CaseStatus,
    DisputeCase,
    HandlingLevel,
)
from disputes.models.hazards import Hazard, HazardCategory, HazardSource, Severity
from disputes.models.mediation import (
    MediationAgreement,
    MediationSession,
    MediationStudio,
    ReturnVisit,
)
from disputes.models.services import LegalService, ServicePoint

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
    "HazardSource",
    "LegalService",
    "MediationAgreement",
    "MediationSession",
    "MediationStudio",
    "ReturnVisit",
    "ServicePoint",
    "Severity",
]
