from volunteers.models.activities import (
    Activity,
    ActivityTheme,
    HoursStatus,
    ServiceHours,
    TargetGroup,
)
from volunteers.models.network import NetworkLevel, NetworkNode, NetworkService
from volunteers.models.people import Volunteer, VolunteerStatus
from volunteers.models.points import (
    HOURS_RULE,
    EntryKind,
    Goods,
    PointEntry,
    PointRule,
    Redemption,
    StockEntry,
    Supermarket,
)
from volunteers.models.records import Certificate, CertificateCounter, Honour, ImportJob
from volunteers.models.teams import Team, TeamMember
from volunteers.models.transfers import Transfer

__all__ = [
    "Activity",
    "ActivityTheme",
    "Certificate",
    "CertificateCounter",
    "EntryKind",
    "Goods",
    "HOURS_RULE",
    "Honour",
    "HoursStatus",
    "ImportJob",
    "NetworkLevel",
    "NetworkNode",
    "NetworkService",
    "PointEntry",
    "PointRule",
    "Redemption",
    "ServiceHours",
    "StockEntry",
    "Supermarket",
    "TargetGroup",
    "Team",
    "TeamMember",
    "Transfer",
    "Volunteer",
    "VolunteerStatus",
]
