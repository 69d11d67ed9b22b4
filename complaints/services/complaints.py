"""Writing a complaint: everything in one transaction, or nothing."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from complaints.models import (
    Authority,
    Case,
    Complaint,
    Councillor,
    DeadlineKind,
    EventKind,
    Evidence,
    EvidenceSource,
    SocialMediaPost,
)
from complaints.services.clocks import clock_start
from complaints.services.events import event_record
from complaints.services.evidence_files import StoredFile
from complaints.services.outbox import outbox_message_create
from complaints.services.posts import url_normalise
from complaints.services.references import reference_next


@dataclass(frozen=True)
class ComplainantDetails:
    name: str
    email: str
    complainant_type: str
    phone: str = ""
    address: str = ""
    complainant_type_other: str = ""


@dataclass(frozen=True)
class PostDetails:
    platform: str
    account_name: str
    text_reported: str
    url: str = ""
    platform_other: str = ""
    posted_on: date | None = None
    capacity_indicators: list[str] = field(default_factory=list)
    capacity_other: str = ""
    capacity_explanation: str = ""


class EvidenceMissing(Exception):
    """A staged evidence file is no longer on disk; the complaint is not written."""

    def __init__(self, stored: StoredFile):
        super().__init__(stored.original_name)
        self.stored = stored


def complaint_submit(*, draft_token: uuid.UUID | str | None = None, **details) -> Complaint:
    """Record a complaint with its case, posts, evidence, deadlines, history and acknowledgement.

    Sending is idempotent per draft: given the draft's token, a second (or concurrent) call for the
    same draft returns the complaint the first one wrote, and writes nothing. Two racing calls are
    settled by the unique draft_token; the loser's transaction is rolled back whole.
    """
    if draft_token is not None:
        existing = Complaint.objects.filter(draft_token=draft_token).first()
        if existing is not None:
            return existing
    try:
        return _complaint_create(draft_token=draft_token, **details)
    except IntegrityError:
        existing = Complaint.objects.filter(draft_token=draft_token).first() if draft_token is not None else None
        if existing is None:
            raise
        return existing


@transaction.atomic
def _complaint_create(
    *,
    draft_token: uuid.UUID | str | None,
    complainant: ComplainantDetails,
    authority: Authority,
    councillors: list[Councillor],
    unlisted_councillor_names: str,
    posts: list[PostDetails],
    code=None,
    clauses=(),
    clauses_not_sure: bool,
    evidence: list[StoredFile],
    no_evidence_reason: str = "",
    late_reason: str = "",
    outcome_sought: str,
    previous_complaint: str,
    previous_complaint_details: str = "",
    confidentiality_requested: bool,
    confidentiality_reason: str = "",
    submitted_from_ip: str | None = None,
    now: datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    for stored in evidence:
        if not default_storage.exists(stored.original_path):
            raise EvidenceMissing(stored)
    today = timezone.localdate(now)
    prefix = settings.COMPLAINT_REFERENCE_PREFIX
    case = Case.objects.create(
        reference=reference_next(prefix=f"{prefix}C", year=today.year),
        authority=authority,
        title=_case_title(councillors, unlisted_councillor_names, authority),
        opened_at=now,
    )
    complaint = Complaint.objects.create(
        reference=reference_next(prefix=prefix, year=today.year),
        case=case,
        authority=authority,
        unlisted_councillor_names=unlisted_councillor_names,
        complainant_name=complainant.name,
        complainant_email=complainant.email,
        complainant_phone=complainant.phone,
        complainant_address=complainant.address,
        complainant_type=complainant.complainant_type,
        complainant_type_other=complainant.complainant_type_other,
        code=code,
        clauses_not_sure=clauses_not_sure,
        no_evidence_reason=no_evidence_reason,
        late_reason=late_reason,
        outcome_sought=outcome_sought,
        previous_complaint=previous_complaint,
        previous_complaint_details=previous_complaint_details,
        confidentiality_requested=confidentiality_requested,
        confidentiality_reason=confidentiality_reason if confidentiality_requested else "",
        submitted_at=now,
        declaration_confirmed=True,
        submitted_from_ip=submitted_from_ip,
        draft_token=draft_token,
    )
    complaint.councillors.set(councillors)
    complaint.clauses.set(clauses)
    SocialMediaPost.objects.bulk_create(
        [
            SocialMediaPost(
                complaint=complaint,
                case=case,
                platform=post.platform,
                platform_other=post.platform_other,
                url=post.url,
                normalised_url=url_normalise(post.url),
                account_name=post.account_name,
                posted_on=post.posted_on,
                text_reported=post.text_reported,
                capacity_indicators=list(post.capacity_indicators),
                capacity_other=post.capacity_other,
                capacity_explanation=post.capacity_explanation,
                position=position,
            )
            for position, post in enumerate(posts)
        ]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(
                case=case,
                complaint=complaint,
                source=EvidenceSource.COMPLAINANT,
                original=stored.original_path,
                original_name=stored.original_name,
                sha256=stored.sha256,
                size=stored.size,
                content_type=stored.content_type,
                width=stored.width,
                height=stored.height,
                display=stored.display_path,
                perceptual_hash=stored.perceptual_hash,
                uploaded_at=datetime.fromisoformat(stored.uploaded_at),
            )
            for stored in evidence
        ]
    )
    event_record(
        case=case,
        kind=EventKind.CASE_OPENED,
        description=f"Case {case.reference} opened for complaint {complaint.reference}",
        actor_label="Online form",
    )
    event_record(
        case=case,
        kind=EventKind.COMPLAINT_RECEIVED,
        description=(
            f"Complaint {complaint.reference} received online with {len(posts)} post(s)"
            f" and {len(evidence)} evidence file(s)"
        ),
        actor_label=f"Complainant ({complaint.get_complainant_type_display()})",
        details={"complaint": complaint.reference, "evidence_sha256": [s.sha256 for s in evidence]},
    )
    acknowledge = clock_start(case, DeadlineKind.ACKNOWLEDGE, start=today)
    assessment = clock_start(case, DeadlineKind.ASSESSMENT, start=today)
    outbox_message_create(
        to=complaint.complainant_email,
        subject=f"We have received your complaint {complaint.reference}",
        template="acknowledgement",
        context={
            "name": complaint.complainant_name,
            "reference": complaint.reference,
            "council_name": settings.COUNCIL_NAME,
            "authority": authority.name,
            "submitted_on": f"{today:%-d %B %Y}",
            "assessment_due": f"{assessment.due_on:%-d %B %Y}",
            "assessment_days": assessment.working_days,
            "confidentiality_requested": complaint.confidentiality_requested,
            "contact_email": settings.COUNCIL_CONTACT_EMAIL,
            "privacy_url": settings.SITE_URL + reverse("privacy"),
        },
        case=case,
        complaint=complaint,
        # The acknowledgement e-mail is the acknowledgement: its clock is met when the outbox has sent it.
        deadline=acknowledge,
    )
    return complaint


def _case_title(councillors: list[Councillor], unlisted: str, authority: Authority) -> str:
    names = [c.name for c in councillors] + ([unlisted] if unlisted else [])
    who = ", ".join(names) if names else "unnamed councillor"
    return f"{who} ({authority.name})"[:200]
