"""The Monitoring Officer's decision on a complainant's request to keep their identity confidential."""

from __future__ import annotations

from django.db import transaction

from complaints.models import Complaint, EventKind
from complaints.services.events import event_record


@transaction.atomic
def complaint_confidentiality_decide(*, complaint: Complaint, granted: bool, actor=None) -> Complaint:
    """Grant or refuse the request. Letters to the councillor and the public withhold the identity
    of a complainant whose request is granted or not yet decided."""
    if not complaint.confidentiality_requested:
        raise ValueError("The complainant did not ask for confidentiality.")
    Complaint.objects.filter(pk=complaint.pk).update(confidentiality_granted=granted)
    complaint.confidentiality_granted = granted
    event_record(
        case=complaint.case,
        kind=EventKind.CASE_UPDATED,
        description=f"Confidentiality {'granted' if granted else 'refused'} for complaint {complaint.reference}",
        actor=actor,
        details={"complaint": complaint.reference, "confidentiality_granted": granted},
    )
    return complaint
