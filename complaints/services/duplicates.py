"""Acting on possible duplicates: linking complaints into one case, or dismissing a suggestion."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from complaints.models import Case, Complaint, DuplicateDismissal, EventKind
from complaints.services.cases import case_link
from complaints.services.events import event_record


@transaction.atomic
def complaints_link(*, complaints: list[Complaint], into: Case, actor) -> list[Complaint]:
    """Link every complaint into `into` with `case_link` (each move is an event on both cases)."""
    linked = []
    for complaint in complaints:
        if complaint.case_id == into.pk:
            continue
        case_link(complaint=complaint, into=into, actor=actor)
        linked.append(complaint)
    return linked


@transaction.atomic
def duplicate_dismiss(*, complaint: Complaint, case: Case, actor) -> DuplicateDismissal:
    """Record that `complaint` is not a duplicate of `case`, so the queue stops suggesting it."""
    dismissal, created = DuplicateDismissal.objects.get_or_create(
        complaint=complaint, case=case, defaults={"dismissed_by": actor, "dismissed_at": timezone.now()}
    )
    if created:
        event_record(
            case=complaint.case,
            kind=EventKind.CASE_UPDATED,
            description=f"Complaint {complaint.reference} is not a duplicate of case {case.reference}",
            actor=actor,
            details={"complaint": complaint.reference, "not_duplicate_of": case.reference},
        )
    return dismissal
