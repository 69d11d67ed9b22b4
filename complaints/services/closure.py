"""Closing a case by hand, with a reason, and reopening a closed one.

A case under informal resolution closes only once every step asked of the councillor has been
recorded as done or refused. Closing stops the case's running clocks, except the review window
and the decision-notice clock, which outlive the closure. Reopening sends the case back to
assessment with a new assessment clock; its earlier decisions stay on record.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from complaints.models import Case, Deadline, DeadlineKind, EventKind, InformalStepStatus, Stage
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.clocks import clock_start
from complaints.services.decisions import clocks_meet
from complaints.services.events import actor_label_for, event_record
from complaints.services.process import ActionRefused, action_begin

# Clocks that keep running after a case is closed.
OUTLIVE_CLOSURE = (DeadlineKind.REVIEW_WINDOW, DeadlineKind.DECISION_NOTICE)


def case_close(*, case: Case, actor, reason: str, version: int | None = None, now: datetime | None = None) -> Case:
    """Close the case, saying why."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.CLOSE, actor=actor, version=version)
        if not reason:
            raise ActionRefused("Give the reason for closing the case", code="input")
        if locked.stage == Stage.INFORMAL_RESOLUTION:
            outstanding = [
                step.get_kind_display().lower()
                for step in locked.informal_steps.filter(status=InformalStepStatus.PENDING).order_by("pk")
            ]
            if outstanding:
                raise ActionRefused(
                    "Record each step of the informal resolution as done or refused before closing the case; "
                    f"still outstanding: {', '.join(outstanding)}",
                    code="informal",
                )
        running = Deadline.objects.filter(case=locked, met_at__isnull=True).exclude(kind__in=OUTLIVE_CLOSURE)
        clocks_meet(locked, running.values_list("kind", flat=True).distinct(), now=now)
        event_record(
            case=locked,
            kind=EventKind.CASE_CLOSED,
            description=f"Case closed by {actor_label_for(actor)}: {reason}",
            actor=actor,
            details={"reason": reason, "from": locked.stage},
        )
        case_stage_set(case=locked, stage=Stage.CLOSED, actor=actor, at=now, details={"reason": reason})
        case.stage, case.closed_at = locked.stage, locked.closed_at
    return locked


def case_reopen(*, case: Case, actor, reason: str, version: int | None = None, now: datetime | None = None) -> Case:
    """Reopen a closed case for a fresh assessment, saying why."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.REOPEN, actor=actor, version=version)
        if not reason:
            raise ActionRefused("Give the reason for reopening the case", code="input")
        if locked.merged_into_id:
            into = Case.objects.filter(pk=locked.merged_into_id).values_list("reference", flat=True).first()
            raise ActionRefused(
                f"This case was merged into case {into}, which has its complaints: reopen that case instead",
                code="merged",
            )
        previous = locked.outcome
        clocks_meet(locked, [DeadlineKind.REVIEW_WINDOW], now=now)
        Case.objects.filter(pk=locked.pk).update(outcome="")
        locked.outcome = case.outcome = ""
        event_record(
            case=locked,
            kind=EventKind.CASE_REOPENED,
            description=f"Case reopened by {actor_label_for(actor)}: {reason}",
            actor=actor,
            details={"reason": reason, "previous_outcome": previous},
        )
        case_stage_set(case=locked, stage=Stage.ASSESSMENT, actor=actor, at=now, details={"reason": reason})
        case.stage, case.closed_at = locked.stage, locked.closed_at
        clock_start(locked, DeadlineKind.ASSESSMENT, start=timezone.localdate(now), actor=actor)
    return locked
