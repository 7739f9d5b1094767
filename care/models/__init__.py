from care.models.activities import ChildActivity
from care.models.alerts import (
    ACK_MINUTES_CAP,
    MAINTENANCE_KINDS,
    Alert,
    AlertKind,
    AlertLevel,
    AlertStep,
    Device,
    Outcome,
    ack_minutes_key,
)
from care.models.registry import (
    DEFAULT_INTERVAL_DAYS,
    CareAccess,
    CareKind,
    CarePerson,
    CareSettings,
    LeaveReason,
    RiskLevel,
    VisitPlanRule,
    interval_for,
)
from care.models.visits import Finding, Visit

__all__ = [
    "ACK_MINUTES_CAP",
    "DEFAULT_INTERVAL_DAYS",
    "MAINTENANCE_KINDS",
    "Alert",
    "AlertKind",
    "AlertLevel",
    "AlertStep",
    "CareAccess",
    "CareKind",
    "CarePerson",
    "CareSettings",
    "ChildActivity",
    "Device",
    "Finding",
    "LeaveReason",
    "Outcome",
    "RiskLevel",
    "Visit",
    "VisitPlanRule",
    "ack_minutes_key",
    "interval_for",
]
