from disclosure.models.decisions import (
    Decision,
    DecisionStatus,
    DecisionStep,
    StepKind,
)
from disclosure.models.disclosure import (
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
from disclosure.models.supervision import (
    Finding,
    FindingState,
    MemberKind,
    SupervisionMember,
)
from disclosure.models.surveys import Rating, Survey, SurveyAnswer, SurveyCode

__all__ = [
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
