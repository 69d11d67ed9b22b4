"""Review of a no-further-action decision: asked for by a complainant within the review window
(calendar days from the decision, 7 by default, each council may set its own), and decided by
the Monitoring Officer or deputy: upheld (the case stays closed) or overturned (it goes back to
assessment, with a new assessment clock)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    Deadline,
    DeadlineKind,
    Decision,
    DecisionKind,
    EventKind,
    Outcome,
    ReviewRequest,
    ReviewResult,
    Stage,
)
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.clocks import clock_start
from complaints.services.complainant_notices import complainants_notify
from complaints.services.decisions import clocks_meet
from complaints.services.events import actor_label_for, event_record
from complaints.services.member_notices import councillors_notify
from complaints.services.process import ActionRefused, action_begin


def reviewable_decision(case: Case) -> Decision | None:
    """The case's latest decision, if it is a no-further-action decision on the assessment."""
    latest = case.decisions.order_by("-decided_on", "-pk").first()
    if latest is None or latest.kind != DecisionKind.ASSESSMENT or latest.outcome != Outcome.NO_FURTHER_ACTION:
        return None
    return latest


def review_window(case: Case) -> Deadline | None:
    return Deadline.objects.filter(case=case, kind=DeadlineKind.REVIEW_WINDOW).order_by("-starts_on", "-pk").first()


def review_request_record(
    *,
    case: Case,
    actor,
    complaint: Complaint,
    requested_on: date,
    grounds: str,
    version: int | None = None,
    now: datetime | None = None,
) -> ReviewRequest:
    """Record a complainant's request for review; refused unless the case's decision was no
    further action and the request came within the review window."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    grounds = (grounds or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.REQUEST_REVIEW, actor=actor, version=version)
        decision = reviewable_decision(locked)
        if decision is None or locked.outcome != Outcome.NO_FURTHER_ACTION:
            outcome = locked.get_outcome_display().lower() if locked.outcome else "none recorded"
            raise ActionRefused(
                f"Only a decision to take no further action can be reviewed; this case's outcome is {outcome}",
                code="review",
            )
        if decision.review_requests.exists():
            raise ActionRefused("This decision has already been reviewed", code="review")
        window = review_window(locked)
        if window is None or window.starts_on < decision.decided_on:
            raise ActionRefused("No review window was opened for this decision", code="review")
        if complaint is None or complaint.case_id != locked.pk:
            raise ActionRefused("Choose the complaint whose complainant asked for the review", code="input")
        if not grounds:
            raise ActionRefused("Give the complainant's grounds for review", code="input")
        if requested_on is None or requested_on > today:
            raise ActionRefused("The date of the request must be today or in the past", code="input")
        if requested_on < window.starts_on:
            raise ActionRefused("The date of the request cannot be before the decision", code="input")
        if requested_on > window.due_on:
            days = window.working_days
            raise ActionRefused(
                f"The review window closed on {window.due_on:%-d %B %Y}: a review can be asked for only within "
                f"{days} day{'' if days == 1 else 's'} of the decision of {decision.decided_on:%-d %B %Y}",
                code="window",
            )
        review = ReviewRequest.objects.create(
            case=locked,
            decision=decision,
            complaint=complaint,
            requested_on=requested_on,
            grounds=grounds,
            recorded_by=actor,
            recorded_at=now,
        )
        clocks_meet(locked, [DeadlineKind.REVIEW_WINDOW], now=now)
        event_record(
            case=locked,
            kind=EventKind.REVIEW_REQUESTED,
            description=(
                f"Review of the no-further-action decision asked for on {requested_on:%-d %B %Y} "
                f"(complaint {complaint.reference}); recorded by {actor_label_for(actor)}"
            ),
            actor=actor,
            details={"review": str(review.public_id), "complaint": complaint.reference, "requested_on": requested_on},
        )
        case_stage_set(case=locked, stage=Stage.REVIEW, actor=actor, at=now)
        case.stage, case.closed_at = locked.stage, locked.closed_at
    return review


def review_decide(
    *,
    case: Case,
    actor,
    result: str,
    reasons: str,
    version: int | None = None,
    now: datetime | None = None,
) -> ReviewRequest:
    """Record the result of the review: upheld closes the case again; overturned sends it back to
    assessment with a new assessment clock. Every complainant is told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reasons = (reasons or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.DECIDE_REVIEW, actor=actor, version=version)
        if result not in ReviewResult.values:
            raise ActionRefused("Choose whether the decision is upheld or overturned", code="input")
        if not reasons:
            raise ActionRefused("Give the reasons for the result of the review", code="input")
        review = (
            ReviewRequest.objects.select_for_update()
            .filter(case=locked, result="")
            .order_by("-recorded_at", "-pk")
            .first()
        )
        if review is None:
            raise ActionRefused("There is no request for review waiting for a decision on this case", code="review")
        ReviewRequest.objects.filter(pk=review.pk).update(
            result=result, result_reasons=reasons, decided_by=actor, decided_at=now
        )
        review.refresh_from_db()
        event_record(
            case=locked,
            kind=EventKind.REVIEW_DECIDED,
            description=f"Review decided by {actor_label_for(actor)}: {review.get_result_display().lower()}",
            actor=actor,
            details={"review": str(review.public_id), "result": result},
        )
        if result == ReviewResult.UPHELD:
            case_stage_set(case=locked, stage=Stage.CLOSED, actor=actor, at=now)
            paragraphs = [
                "The decision to take no further action on the complaint has been reviewed, and it stands. "
                "The case is closed."
            ]
            councillor_paragraphs = [
                "The complainant asked for a review of the decision to take no further action on the complaint "
                "about you. The decision has been reviewed, and it stands. The case is closed."
            ]
        else:
            Case.objects.filter(pk=locked.pk).update(outcome="")
            locked.outcome = case.outcome = ""
            case_stage_set(case=locked, stage=Stage.ASSESSMENT, actor=actor, at=now)
            clock_start(locked, DeadlineKind.ASSESSMENT, start=today, actor=actor)
            paragraphs = [
                "The decision to take no further action on the complaint has been reviewed and set aside. "
                "The Monitoring Officer will assess the complaint again, and will write to you with the decision."
            ]
            councillor_paragraphs = [
                "The complainant asked for a review of the decision to take no further action on the complaint "
                "about you. The decision has been set aside: the Monitoring Officer will assess the complaint "
                "again, and will write to you with the decision."
            ]
        case.stage, case.closed_at = locked.stage, locked.closed_at
        complainants_notify(
            case=locked,
            notice=f"review:{review.public_id}",
            title="Result of the review of the decision on your complaint",
            paragraphs=paragraphs,
            reasons=reasons,
            actor=actor,
        )
        councillors_notify(
            case=locked,
            notice=f"review:{review.public_id}",
            title="Result of the review of the decision on the complaint about you",
            paragraphs=councillor_paragraphs,
            reasons=reasons,
            actor=actor,
        )
    return review
