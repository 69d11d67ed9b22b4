"""Unlinking a complaint from a case of several: it becomes a case of its own.

The new case gets its own reference and its own clocks, started as they would have been when the
complaint arrived (complaint_submit): assessment from the day it was received, and the
acknowledgement too if it has not been sent yet. The complaint's posts, evidence, e-mails and
acknowledgement letters move with it; the officers who declared a conflict on the old case are
conflicted on the new one too, so nobody gains sight of it by the split. Both cases record it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.documents.letters import acknowledgement_series
from complaints.models import (
    Case,
    Complaint,
    ConflictOfInterest,
    DeadlineKind,
    Document,
    EventKind,
    Evidence,
    OutboxMessage,
    OutboxStatus,
    SocialMediaPost,
    Stage,
)
from complaints.process import Action
from complaints.services.clocks import clock_start
from complaints.services.events import actor_label_for, event_record
from complaints.services.process import ActionRefused, action_begin
from complaints.services.references import reference_next

ACKNOWLEDGEMENT_TEMPLATE = "acknowledgement"


def case_unlink(
    *, case: Case, actor, complaint: Complaint, reason: str, version: int | None = None, now: datetime | None = None
) -> Case:
    """Move `complaint` out of `case` into a new case of its own; return the new case."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.UNLINK, actor=actor, version=version)
        if not reason:
            raise ActionRefused("Give the reason for unlinking the complaint", code="input")
        complaint = Complaint.objects.select_for_update().filter(pk=getattr(complaint, "pk", None)).first()
        if complaint is None or complaint.case_id != locked.pk:
            raise ActionRefused("Choose a complaint of this case", code="input")
        if Complaint.objects.filter(case=locked).count() < 2:
            raise ActionRefused("This case has only one complaint: there is nothing to unlink it from", code="single")
        received_on = timezone.localdate(complaint.submitted_at)
        acknowledgements = OutboxMessage.objects.filter(complaint=complaint, template=ACKNOWLEDGEMENT_TEMPLATE)
        acknowledged = acknowledgements.filter(status=OutboxStatus.SENT).exists()
        prefix = f"{settings.COMPLAINT_REFERENCE_PREFIX}C"
        new = Case.objects.create(
            reference=reference_next(prefix=prefix, year=timezone.localdate(now).year),
            authority=complaint.authority,
            title=_title(complaint),
            stage=Stage.ACKNOWLEDGED if acknowledged else Stage.RECEIVED,
            assigned_officer=locked.assigned_officer,
            opened_at=now,
        )
        Complaint.objects.filter(pk=complaint.pk).update(case=new)
        SocialMediaPost.objects.filter(complaint=complaint).update(case=new)
        Evidence.objects.filter(complaint=complaint).update(case=new)
        OutboxMessage.objects.filter(complaint=complaint).update(case=new)
        Document.objects.filter(case=locked, series=acknowledgement_series(complaint)).update(case=new)
        ConflictOfInterest.objects.bulk_create(
            [
                ConflictOfInterest(
                    case=new,
                    officer_id=conflict.officer_id,
                    reason=conflict.reason,
                    declared_at=conflict.declared_at,
                    recorded_by_id=conflict.recorded_by_id,
                )
                for conflict in ConflictOfInterest.objects.filter(case=locked)
            ]
        )
        complaint.case = new
        details = {"complaint": complaint.reference, "from_case": locked.reference, "to_case": new.reference}
        who = actor_label_for(actor)
        event_record(
            case=new,
            kind=EventKind.CASE_OPENED,
            description=(
                f"Case {new.reference} opened for complaint {complaint.reference}, unlinked from {locked.reference}"
            ),
            actor=actor,
            details=details,
        )
        event_record(
            case=new,
            kind=EventKind.COMPLAINT_UNLINKED,
            description=f"Complaint {complaint.reference} unlinked from case {locked.reference} by {who}: {reason}",
            actor=actor,
            details={**details, "reason": reason},
        )
        event_record(
            case=locked,
            kind=EventKind.COMPLAINT_UNLINKED,
            description=(
                f"Complaint {complaint.reference} unlinked into a case of its own, {new.reference}, by {who}: {reason}"
            ),
            actor=actor,
            details={**details, "reason": reason},
        )
        if not acknowledged:
            clock = clock_start(new, DeadlineKind.ACKNOWLEDGE, start=received_on, actor=actor)
            # The acknowledgement still to go now meets the new case's clock when it is sent.
            acknowledgements.exclude(status__in=[OutboxStatus.SENT, OutboxStatus.FAILED]).update(deadline=clock)
        clock_start(new, DeadlineKind.ASSESSMENT, start=received_on, actor=actor)
    return new


def _title(complaint: Complaint) -> str:
    names = sorted(complaint.councillors.values_list("name", flat=True))
    if complaint.unlisted_councillor_names:
        names.append(complaint.unlisted_councillor_names)
    who = ", ".join(names) if names else "unnamed councillor"
    return f"{who} ({complaint.authority.name})"[:200]
