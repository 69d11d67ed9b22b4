"""The first steps of the process on a case: acknowledging the complainant, declaring a conflict
of interest, asking the complainant for more information and recording their answer.

Each action is one service that passes the stage machine's gate (`action_begin`) inside its
transaction and records what it did on the case's timeline, with the actor.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Case,
    Complaint,
    ConflictOfInterest,
    Deadline,
    DeadlineKind,
    EventKind,
    InformationRequest,
    Stage,
)
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.clocks import clock_pause, clock_resume, clock_start, clocks_meet_recorded, due_preview
from complaints.services.events import actor_label_for, event_record
from complaints.services.outbox import outbox_message_create
from complaints.services.process import ActionRefused, action_begin

# The reason given on the clocks an information request stops; its answer restarts exactly these.
WAITING_FOR_COMPLAINANT = "Waiting for further information from the complainant"


class AcknowledgedBy:
    EMAIL = "email"
    POST = "post"
    PHONE = "phone"
    OTHER = "other"
    CHOICES = (
        (EMAIL, "Send the acknowledgement e-mail now"),
        (POST, "It was sent by post"),
        (PHONE, "By telephone or in person"),
        (OTHER, "Another way (for example, an e-mail sent outside this service)"),
    )


def clocks_meet(*, case: Case, kind: str, actor, why: str) -> list[Deadline]:
    """Mark the case's running clocks of one kind as met now, each with a CLOCK_MET event."""
    return clocks_meet_recorded(case=case, kind=kind, actor=actor, why=why)


def acknowledgement_context(complaint: Complaint) -> dict:
    """What the acknowledgement e-mail says (the same e-mail the online form queues)."""
    case = complaint.case
    assessment = Deadline.objects.filter(case=case, kind=DeadlineKind.ASSESSMENT).order_by("-pk").first()
    if assessment is not None:
        due_on, days = assessment.due_on, assessment.working_days
    else:
        preview = due_preview(authority=case.authority, kind=DeadlineKind.ASSESSMENT, start=timezone.localdate())
        due_on, days = preview.due_on, settings.TIMESCALE_ASSESSMENT_DAYS
    return {
        "name": complaint.complainant_name,
        "reference": complaint.reference,
        "council_name": settings.COUNCIL_NAME,
        "authority": complaint.authority.name,
        "submitted_on": f"{timezone.localdate(complaint.submitted_at):%-d %B %Y}",
        "assessment_due": f"{due_on:%-d %B %Y}",
        "assessment_days": days,
        "confidentiality_requested": complaint.confidentiality_requested,
        "contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "privacy_url": settings.SITE_URL + reverse("privacy"),
    }


def case_acknowledge(*, case: Case, how: str, note: str = "", actor, version: int | None = None) -> list:
    """Record that the complainant(s) were acknowledged, optionally queueing the acknowledgement
    e-mail to each; the acknowledge clock is met and the case moves to acknowledged.

    Returns the queued messages.
    """
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.ACKNOWLEDGE, actor=actor, version=version)
        messages = []
        if how == AcknowledgedBy.EMAIL:
            for complaint in locked.complaints.select_related("authority").order_by("submitted_at", "pk"):
                messages.append(
                    outbox_message_create(
                        to=complaint.complainant_email,
                        subject=f"We have received your complaint {complaint.reference}",
                        template="acknowledgement",
                        context=acknowledgement_context(complaint),
                        case=locked,
                        complaint=complaint,
                    )
                )
        how_text = dict(AcknowledgedBy.CHOICES)[how]
        if how == AcknowledgedBy.EMAIL:
            how_text = (
                f"acknowledgement e-mail queued to {len(messages)} complainant{'s' if len(messages) != 1 else ''}"
            )
        event_record(
            case=locked,
            kind=EventKind.CASE_UPDATED,
            description=f"Complainant acknowledged: {how_text[0].lower()}{how_text[1:]}"
            + (f" ({note})" if note else ""),
            actor=actor,
            details={"acknowledged": how, "note": note, "messages": [str(m.public_id) for m in messages]},
        )
        clocks_meet(case=locked, kind=DeadlineKind.ACKNOWLEDGE, actor=actor, why="complainant acknowledged")
        case_stage_set(case=locked, stage=Stage.ACKNOWLEDGED, actor=actor)
        return messages


def _stand_in(case: Case, declaring) -> object | None:
    """Who takes a case from an officer who declared a conflict: the council's Deputy Monitoring
    Officer, or the Monitoring Officer when the deputy is the one conflicted (or there is none)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, officer_profile__authority=case.authority.principal)
        .exclude(pk=declaring.pk)
        .exclude(conflicts__case=case)
        .order_by("pk")
    )
    return (
        users.filter(groups__name=roles.DEPUTY_MONITORING_OFFICER).first()
        or users.filter(groups__name=roles.MONITORING_OFFICER).first()
    )


def conflict_declare(*, case: Case, reason: str, actor, version: int | None = None):
    """The acting officer declares a conflict of interest: from now on they cannot see the case,
    and it is handed to the Deputy Monitoring Officer (the Monitoring Officer if the deputy is the
    one conflicted). Returns the officer the case was handed to (None if nobody could take it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A conflict of interest needs a reason")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.DECLARE_CONFLICT, actor=actor, version=version)
        if ConflictOfInterest.objects.filter(case=locked, officer=actor).exists():
            raise ActionRefused("You have already declared a conflict of interest on this case", code="conflict")
        now = timezone.now()
        ConflictOfInterest.objects.create(case=locked, officer=actor, reason=reason, declared_at=now, recorded_by=actor)
        stand_in = _stand_in(locked, actor)
        previous = locked.assigned_officer_id
        Case.objects.filter(pk=locked.pk).update(assigned_officer=stand_in)
        who = actor_label_for(actor)
        if stand_in is not None:
            handed = f"; case handed to {actor_label_for(stand_in)}"
        else:
            handed = "; nobody else at the council can take the case: it is unassigned"
        event_record(
            case=locked,
            kind=EventKind.CONFLICT_DECLARED,
            description=f"{who} declared a conflict of interest{handed}",
            actor=actor,
            details={
                "officer": actor.get_username(),
                "reason": reason,
                "assigned_officer": stand_in.get_username() if stand_in is not None else None,
                "previous_officer_id": previous,
            },
        )
        return stand_in


def _running_clocks(case: Case):
    return Deadline.objects.filter(case=case, met_at__isnull=True, paused_at__isnull=True).order_by("pk")


def information_request(
    *, case: Case, complaint: Complaint, question: str, actor, version: int | None = None
) -> InformationRequest:
    """Ask one complainant of the case a question by e-mail (through the outbox), start the
    further-information clock and pause the case's other running clocks until the answer comes."""
    question = (question or "").strip()
    if not question:
        raise ValueError("An information request needs a question")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.REQUEST_INFORMATION, actor=actor, version=version)
        if complaint.case_id != locked.pk:
            raise ActionRefused("That complaint is no longer part of this case", code="complaint")
        paused = []
        for deadline in _running_clocks(locked):
            clock_pause(deadline, WAITING_FOR_COMPLAINANT, actor)
            paused.append(deadline.pk)
        clock = clock_start(locked, DeadlineKind.FURTHER_INFORMATION, actor=actor)
        request = InformationRequest.objects.create(
            case=locked,
            complaint=complaint,
            question=question,
            requested_at=timezone.now(),
            requested_by=actor,
            deadline=clock,
        )
        message = outbox_message_create(
            to=complaint.complainant_email,
            subject=f"Your complaint {complaint.reference}: we need more information",
            template="further_information_request",
            context={
                "name": complaint.complainant_name,
                "reference": complaint.reference,
                "question": question,
                "due_on": f"{clock.due_on:%-d %B %Y}",
                "working_days": clock.working_days,
                "contact_email": settings.COUNCIL_CONTACT_EMAIL,
                "council_name": settings.COUNCIL_NAME,
            },
            case=locked,
            complaint=complaint,
        )
        event_record(
            case=locked,
            kind=EventKind.INFORMATION_REQUESTED,
            description=(
                f"Further information requested from the complainant of {complaint.reference};"
                f" answer due {clock.due_on:%-d %B %Y}"
            ),
            actor=actor,
            details={
                "request": request.pk,
                "complaint": complaint.reference,
                "question": question,
                "deadline": clock.pk,
                "paused_clocks": paused,
                "message": str(message.public_id),
            },
        )
        case_stage_set(case=locked, stage=Stage.FURTHER_INFORMATION, actor=actor)
        return request


def information_record(
    *, case: Case, request: InformationRequest, answer: str, actor, version: int | None = None
) -> InformationRequest:
    """Record the complainant's answer: the further-information clock is met, the clocks the
    request paused restart, any flag for closure is lifted and the case returns to assessment."""
    answer = (answer or "").strip()
    if not answer:
        raise ValueError("Record what the complainant sent")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.RECORD_INFORMATION, actor=actor, version=version)
        request = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if request.case_id != locked.pk or request.answered_at is not None:
            raise ActionRefused("That question has already been answered", code="answered")
        now = timezone.now()
        InformationRequest.objects.filter(pk=request.pk).update(
            answer=answer, answered_at=now, answer_recorded_by=actor
        )
        request.refresh_from_db()
        event_record(
            case=locked,
            kind=EventKind.INFORMATION_RECEIVED,
            description=f"Further information received from the complainant of {request.complaint.reference}",
            actor=actor,
            details={"request": request.pk, "complaint": request.complaint.reference, "answer": answer},
        )
        if request.deadline_id:
            Deadline.objects.filter(pk=request.deadline_id, met_at__isnull=True).update(met_at=now)
            event_record(
                case=locked,
                kind=EventKind.CLOCK_MET,
                description="Further information met: the complainant's answer was recorded",
                actor=actor,
                details={"deadline": request.deadline_id, "kind": DeadlineKind.FURTHER_INFORMATION},
            )
        for deadline in Deadline.objects.filter(
            case=locked, met_at__isnull=True, paused_at__isnull=False, pause_reason=WAITING_FOR_COMPLAINANT
        ).order_by("pk"):
            clock_resume(deadline, actor)
        if locked.flagged_for_closure_at is not None:
            Case.objects.filter(pk=locked.pk).update(flagged_for_closure_at=None)
            event_record(
                case=locked,
                kind=EventKind.CASE_UPDATED,
                description="No longer flagged for closure: the complainant answered",
                actor=actor,
            )
        case_stage_set(case=locked, stage=Stage.ASSESSMENT, actor=actor)
        return request
