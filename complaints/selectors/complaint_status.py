"""What a complainant may see of their own complaint: the stage in plain words, what happens next
and by when, from the clocks stored on the case. Nothing about anyone else: no other complaint,
no councillor's reply, no officer's name, no notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from complaints.models import Complaint, Deadline, DeadlineKind, Outcome, Stage

# Clocks a complainant is told about, and how: what the council will do (or what they may do).
CLOCK_WORDS = {
    DeadlineKind.ACKNOWLEDGE: "We aim to acknowledge your complaint by",
    DeadlineKind.FURTHER_INFORMATION: "Please send us the information we asked for by",
    DeadlineKind.ASSESSMENT: "The Monitoring Officer aims to decide what should happen to your complaint by",
    DeadlineKind.DECISION_NOTICE: "We aim to send you the decision by",
    DeadlineKind.INVESTIGATION: "The investigation is expected to finish by",
    DeadlineKind.HEARING: "The hearing is expected to take place by",
    DeadlineKind.REVIEW_WINDOW: "If you want us to review the decision, ask by",
}

STAGE_WORDS = {
    Stage.RECEIVED: (
        "We have received your complaint.",
        "We will acknowledge it, and the Monitoring Officer will then look at what you sent.",
    ),
    Stage.ACKNOWLEDGED: (
        "We have acknowledged your complaint and the Monitoring Officer is looking at it.",
        "They may ask you for more information and will normally ask the councillor for their comments.",
    ),
    Stage.MEMBER_COMMENT: (
        "The councillor has been asked for their comments on your complaint.",
        "The Monitoring Officer will then decide what should happen to it.",
    ),
    Stage.FURTHER_INFORMATION: (
        "We have asked you for more information.",
        "Please reply to our request. If we do not hear from you, we may close your complaint.",
    ),
    Stage.ASSESSMENT: (
        "The Monitoring Officer is assessing your complaint.",
        "They will decide whether it needs further action, and write to you with the decision and the reasons.",
    ),
    Stage.INFORMAL_RESOLUTION: (
        "The Monitoring Officer is trying to resolve your complaint informally.",
        "We will write to you when this is complete.",
    ),
    Stage.INVESTIGATION: (
        "Your complaint is being investigated.",
        "The investigator may contact you. We will write to you when the investigation has finished.",
    ),
    Stage.HEARING: (
        "A hearing panel will consider the investigator's report.",
        "We will write to you with the panel's decision.",
    ),
    Stage.REVIEW: (
        "The decision on your complaint is being reviewed.",
        "We will write to you with the outcome of the review.",
    ),
    Stage.CLOSED: ("Your complaint is closed.", "We have written to you with the decision and the reasons for it."),
}

OUTCOME_WORDS = {
    Outcome.NO_FURTHER_ACTION: "The Monitoring Officer decided to take no further action.",
    Outcome.INFORMAL_RESOLUTION: "The complaint was resolved informally.",
    Outcome.INVESTIGATION: "The complaint was referred for investigation.",
    Outcome.POLICE: "The complaint was referred to the police.",
    Outcome.NO_BREACH: "It was found that the councillor did not break the Code of Conduct.",
    Outcome.BREACH: "It was found that the councillor broke the Code of Conduct.",
    Outcome.WITHDRAWN: "The complaint was withdrawn.",
}


@dataclass(frozen=True)
class ClockLine:
    words: str
    due_on: date
    paused: bool = False


@dataclass(frozen=True)
class ComplaintStatus:
    reference: str
    received_on: date
    council: str
    stage: str
    next_step: str
    outcome: str = ""
    clocks: list[ClockLine] = field(default_factory=list)


def complaint_status(complaint: Complaint) -> ComplaintStatus:
    """The complainant's view of their complaint, from the case's stage and open clocks."""
    case = complaint.case
    stage_words, next_words = STAGE_WORDS.get(case.stage, ("We are dealing with your complaint.", ""))
    open_clocks = Deadline.objects.filter(case=case, met_at__isnull=True, kind__in=list(CLOCK_WORDS)).order_by(
        "due_on", "pk"
    )
    clocks = [
        ClockLine(
            words=CLOCK_WORDS[deadline.kind],
            due_on=deadline.due_on,
            paused=deadline.paused_at is not None,
        )
        for deadline in open_clocks
        # Only the review window is still of use to a complainant once the case is closed.
        if case.stage != Stage.CLOSED or deadline.kind == DeadlineKind.REVIEW_WINDOW
    ]
    return ComplaintStatus(
        reference=complaint.reference,
        received_on=timezone.localdate(complaint.submitted_at),
        council=complaint.authority.name,
        stage=stage_words,
        next_step=next_words,
        outcome=OUTCOME_WORDS.get(case.outcome, "") if case.stage == Stage.CLOSED else "",
        clocks=clocks,
    )
