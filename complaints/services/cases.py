"""Changes to cases: linking complaints about the same post or incident into one case."""

from django.db import transaction
from django.utils import timezone

from complaints.models import Case, Complaint, Deadline, EventKind, Evidence, OutboxMessage, SocialMediaPost, Stage
from complaints.services.events import event_record


@transaction.atomic
def case_link(*, complaint: Complaint, into: Case, actor=None) -> Case:
    """Move a complaint, with its posts, evidence and e-mails, into another case.

    The history of the case it leaves stays where it is (events are append-only). A case left with
    no complaints is closed and marked as merged into the other, so reports count it once.
    """
    source = Case.objects.select_for_update().get(pk=complaint.case_id)
    if source.pk == into.pk:
        return into
    Complaint.objects.filter(pk=complaint.pk).update(case=into)
    SocialMediaPost.objects.filter(complaint=complaint).update(case=into)
    Evidence.objects.filter(complaint=complaint).update(case=into)
    OutboxMessage.objects.filter(complaint=complaint).update(case=into)
    complaint.case = into
    details = {"complaint": complaint.reference, "from_case": source.reference, "to_case": into.reference}
    event_record(
        case=into,
        kind=EventKind.CASE_UPDATED,
        description=f"Complaint {complaint.reference} linked into this case from {source.reference}",
        actor=actor,
        details=details,
    )
    event_record(
        case=source,
        kind=EventKind.CASE_UPDATED,
        description=f"Complaint {complaint.reference} moved to case {into.reference}",
        actor=actor,
        details=details,
    )
    if not source.complaints.exists():
        now = timezone.now()
        Deadline.objects.filter(case=source, met_at__isnull=True).update(met_at=now)
        Case.objects.filter(pk=source.pk).update(stage=Stage.CLOSED, closed_at=now, merged_into=into)
        event_record(
            case=source,
            kind=EventKind.STAGE_CHANGED,
            description=f"Closed: merged into case {into.reference}",
            actor=actor,
            details={"from": source.stage, "to": Stage.CLOSED, "merged_into": into.reference},
        )
    return into
