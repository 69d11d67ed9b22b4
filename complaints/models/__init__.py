from complaints.models.access_links import ComplaintAccessLink
from complaints.models.authorities import (
    LOCAL_KINDS,
    Authority,
    AuthorityKind,
    Councillor,
    Nation,
    Platform,
    SocialMediaAccount,
)
from complaints.models.calendar import ClosureDay, TimeLimit
from complaints.models.cases import (
    CapacityIndicator,
    Case,
    ComplainantType,
    Complaint,
    Outcome,
    ReferenceCounter,
    SocialMediaPost,
    Stage,
)
from complaints.models.decisions import (
    Assessment,
    Counting,
    Deadline,
    DeadlineKind,
    Decision,
    Recommendation,
    TakedownRequest,
    TakedownStatus,
)
from complaints.models.documents import Document, DocumentKind, OutboxMessage, OutboxStatus
from complaints.models.duplicates import DuplicateDismissal
from complaints.models.events import Event, EventKind, ImmutableEventError
from complaints.models.evidence import Evidence, EvidenceSource
from complaints.models.intake import (
    ComplainantRestriction,
    InformationRequest,
    MemberInvitation,
    PublicInterestQuestion,
    RestrictionKind,
)
from complaints.models.officers import ConflictOfInterest, Consultation, OfficerProfile
from complaints.models.reports import CommitteeReportRun, ReportRunStatus

__all__ = [
    "RestrictionKind",
    "PublicInterestQuestion",
    "MemberInvitation",
    "InformationRequest",
    "ComplainantRestriction",
    "LOCAL_KINDS",
    "Assessment",
    "Authority",
    "AuthorityKind",
    "CapacityIndicator",
    "Case",
    "ClosureDay",
    "CommitteeReportRun",
    "ComplainantType",
    "ComplaintAccessLink",
    "Counting",
    "ConflictOfInterest",
    "Consultation",
    "Complaint",
    "Councillor",
    "Deadline",
    "DeadlineKind",
    "Decision",
    "Document",
    "DocumentKind",
    "DuplicateDismissal",
    "Event",
    "EventKind",
    "Evidence",
    "EvidenceSource",
    "ImmutableEventError",
    "Nation",
    "OfficerProfile",
    "Outcome",
    "OutboxMessage",
    "OutboxStatus",
    "Platform",
    "Recommendation",
    "ReferenceCounter",
    "ReportRunStatus",
    "SocialMediaAccount",
    "SocialMediaPost",
    "Stage",
    "TakedownRequest",
    "TakedownStatus",
    "TimeLimit",
]
