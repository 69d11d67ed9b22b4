"""Changes to cases: their stage, and linking complaints about the same post or incident into one case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from complaints.models import Case, Complaint, Deadline, EventKind, Evidence, OutboxMessage, SocialMediaPost, Stage
from complaints.services.events import event_record


@transaction.atomic
def case_stage_set(
    *,
    case: Case,
    stage: str,
    actor=None,
    at: datetime | None = None,
    details: dict | None = None,
    description: str | None = None,
    closed_at: datetime | None = None,
    actor_label: str | None = None,
) -> Case:
    """Move a case to `stage` and record one STAGE_CHANGED event saying from what to what.

    This is the only place a case's stage is written. Closing stamps `closed_at` (`closed_at` if
    given, else `at`, else now); leaving the closed stage clears it. `at` is the time of the change
    for history imported after the fact; by default it is now. Setting the stage a case is already
    at changes nothing and records nothing.
    """
    if stage not in Stage.values:
        raise ValueError(f"Unknown stage: {stage!r}")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    previous = locked.stage
    if previous == stage:
        return case
    when = at or timezone.now()
    updates = {"stage": stage}
    if stage == Stage.CLOSED:
        updates["closed_at"] = closed_at or locked.closed_at or when
    else:
        updates["closed_at"] = None
    Case.objects.filter(pk=case.pk).update(**updates)
    for name, value in updates.items():
        setattr(case, name, value)
    labels = dict(Stage.choices)
    event_record(
        case=case,
        kind=EventKind.STAGE_CHANGED,
        description=description or f"Stage changed from {labels[previous]} to {labels[stage]}",
        actor=actor,
        actor_label=actor_label,
        details={**(details or {}), "from": previous, "to": stage},
        at=at,
    )
    return case


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
        Case.objects.filter(pk=source.pk).update(merged_into=into)
        case_stage_set(
            case=source,
            stage=Stage.CLOSED,
            actor=actor,
            at=now,
            description=f"Closed: merged into case {into.reference}",
            details={"merged_into": into.reference},
        )
    return into
